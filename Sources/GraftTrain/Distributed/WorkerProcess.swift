import Foundation

/// One worker process, started with `posix_spawn` and waited for with `waitpid` on a thread of its own.
///
/// Foundation's `Process` reports an exit only once every process that inherited its internal socket has closed it,
/// so a worker that leaves a process behind would look alive for as long as that process lives; `waitpid` sees the
/// worker's own exit. The worker gets a process group of its own (signals reach what it starts), the default
/// handling of every signal (whatever the launcher ignores), standard input from /dev/null, standard output and error
/// into pipes, and no other descriptor of the launcher.
final class WorkerProcess: @unchecked Sendable {
    // @unchecked: every property is set once in `init`.
    /// The process id, also the id of its process group.
    let pid: pid_t
    /// The read end of its standard output.
    let output: FileHandle
    /// The read end of its standard error.
    let errors: FileHandle

    /// Starts `executable` with `arguments` and exactly `environment`; `exited` is called (on another thread) with the
    /// wait status once it has ended. Throws the `posix_spawn` error as a message.
    init(executable: URL, arguments: [String], environment: [String: String], exited: @escaping @Sendable (Int32) -> Void) throws {
        let outputPipe = try Self.pipe(), errorPipe = try Self.pipe()
        defer {
            close(outputPipe.write)
            close(errorPipe.write)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe.write, STDOUT_FILENO)
        posix_spawn_file_actions_adddup2(&actions, errorPipe.write, STDERR_FILENO)
        Self.closeOtherDescriptors(&actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t(), unblocked = sigset_t()
        sigemptyset(&defaults)
        for signalNumber in Int32(1)..<32 where signalNumber != SIGKILL && signalNumber != SIGSTOP { sigaddset(&defaults, signalNumber) }
        sigemptyset(&unblocked)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &unblocked)

        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, &attributes, argv, envp)
        guard status == 0 else {
            close(outputPipe.read)
            close(errorPipe.read)
            throw TrainingError.invalidConfiguration("\(executable.path): \(String(cString: strerror(status)))")
        }
        self.pid = pid
        output = FileHandle(fileDescriptor: outputPipe.read, closeOnDealloc: true)
        errors = FileHandle(fileDescriptor: errorPipe.read, closeOnDealloc: true)
        let child = pid
        Thread.detachNewThread {
            var waitStatus: Int32 = 0
            while waitpid(child, &waitStatus, 0) < 0 && errno == EINTR {}
            exited(waitStatus)
        }
    }

    /// How a `waitpid` status ended the process: its exit code, or the number of the signal that killed it.
    static func ending(_ waitStatus: Int32) -> (code: Int32, killedBySignal: Bool) {
        let signalNumber = waitStatus & 0x7f
        return signalNumber == 0 ? ((waitStatus >> 8) & 0xff, false) : (signalNumber, true)
    }

    /// A pipe whose ends are closed on exec (the child gets copies through `dup2`, which clears that flag), so no
    /// other worker inherits them.
    private static func pipe() throws -> (read: Int32, write: Int32) {
        var descriptors: [Int32] = [0, 0]
        guard Glibc.pipe(&descriptors) == 0 else {
            throw TrainingError.invalidConfiguration("cannot create a pipe: \(String(cString: strerror(errno)))")
        }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        return (descriptors[0], descriptors[1])
    }

    /// Has the child close every descriptor above standard error (glibc 2.34's `posix_spawn_file_actions_addclosefrom_np`,
    /// looked up at run time since Swift's Glibc module does not declare it; without it, descriptors the launcher
    /// opened without close-on-exec are inherited).
    private static func closeOtherDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return }
        _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, STDERR_FILENO + 1)
    }
}
