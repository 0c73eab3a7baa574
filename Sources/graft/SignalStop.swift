import Foundation
import GraftTrain

/// Ctrl-C (SIGINT) and SIGTERM during `graft train`: once training has begun the signal only raises a flag, and this
/// callback ends the run at the next batch boundary — never inside a checkpoint write — so every file on disk is whole
/// and `--resume` continues from the last finished epoch. Before that (loading data, waiting for the other workers of
/// a distributed run) nothing is being written, and a signal ends the process at once as usual.
final class SignalStop: Callback {
    /// The run that was stopped, for the message telling how to resume.
    let runDirectory: URL
    private let received = SignalFlag()
    private var sources: [DispatchSourceSignal] = []

    /// Will watch SIGINT and SIGTERM for a run in `runDirectory` once training begins.
    init(runDirectory: URL) {
        self.runDirectory = runDirectory
    }

    /// Takes over SIGINT and SIGTERM from their default action (ending the process) for the rest of the run.
    func fitBegan(_ learner: Learner) throws {
        guard sources.isEmpty else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [received] in received.raise(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    func batchBegan(_ learner: Learner) throws { try stopIfSignalled(learner) }
    func batchEnded(_ learner: Learner) throws { try stopIfSignalled(learner) }
    func epochBegan(_ learner: Learner) throws { try stopIfSignalled(learner) }

    /// Ends the run on a signal; a data-parallel rank first votes, and every rank ends at the batch boundary after
    /// the ranks agreed (one not signalled itself reports SIGTERM, which the launcher passes to all of them).
    private func stopIfSignalled(_ learner: Learner) throws {
        if received.value != nil, !learner.stopAgreed { learner.voteToStop() }
        guard learner.stopAgreed else { return }
        throw Interrupted(signal: received.value ?? SIGTERM, runDirectory: runDirectory, completedEpochs: learner.runProgress.nextEpoch)
    }
}

/// The run stopped on a signal; `GraftCommand` prints how to resume and exits with 128 + the signal number.
struct Interrupted: Error, CustomStringConvertible {
    /// SIGINT or SIGTERM.
    let signal: Int32
    /// The run directory.
    let runDirectory: URL
    /// Epochs whose checkpoints are on disk.
    let completedEpochs: Int

    var description: String {
        let name = signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "signal \(signal)"
        let kept = completedEpochs > 0
            ? "checkpoints of the \(completedEpochs) finished epoch\(completedEpochs == 1 ? "" : "s") are in \(runDirectory.path)/checkpoints; continue with: graft train --resume \(runDirectory.path)"
            : "no epoch had finished, so there is nothing to resume; start the run again"
        return "stopped by \(name) at a batch boundary; \(kept)"
    }

    /// The conventional exit status for death by this signal.
    var exitStatus: Int32 { 128 + signal }
}

/// The first signal received, set from a dispatch queue and read by the training thread.
final class SignalFlag: @unchecked Sendable {
    // @unchecked: `received` is only touched under `lock`.
    private let lock = NSLock()
    private var received: Int32?

    func raise(_ signal: Int32) {
        lock.lock()
        if received == nil { received = signal }
        lock.unlock()
    }

    var value: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }
}
