import Foundation

/// While alive, catches SIGINT, SIGTERM and SIGHUP sent to this process and hands each to a handler instead of
/// letting it end the process; `stop()` restores what those signals did before.
final class SignalForwarding {
    /// The signals a launcher passes on to its workers: Ctrl-C, a scheduler's stop, a closed terminal.
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private var sources: [DispatchSourceSignal] = []
    private var previous: [(Int32, sighandler_t?)] = []

    /// Starts catching `signals` and calling `handler` with each one received.
    init(_ signals: [Int32] = SignalForwarding.forwarded, handler: @escaping @Sendable (Int32) -> Void) {
        for signalNumber in signals {
            previous.append((signalNumber, signal(signalNumber, SIG_IGN)))
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { handler(signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops catching the signals and restores their earlier handling.
    func stop() {
        for source in sources { source.cancel() }
        sources = []
        for (signalNumber, handler) in previous { signal(signalNumber, handler) }
        previous = []
    }

    deinit { stop() }
}
