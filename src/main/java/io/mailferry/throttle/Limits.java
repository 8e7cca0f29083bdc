package io.mailferry.throttle;

import java.time.Duration;

/**
 * The limits the throttles enforce, as plain values: the caller reads them from a run's settings,
 * so that this package knows nothing of how a run is configured.
 *
 * @param maxHostConnections connections to one host at a time, 0 for no cap
 * @param loginInterval the least time between two logins to one host
 * @param bytesPerSecond one account's bytes on the wire, 0 for no limit; {@code hostBytesPerSecond}
 *     the same per host
 * @param messagesPerSecond one migration's messages, 0 for no limit; {@code hostMessagesPerSecond}
 *     the same per host
 * @param maxBackoffWait the longest wait after a server's "slow down"
 */
public record Limits(
    int maxHostConnections,
    Duration loginInterval,
    long bytesPerSecond,
    long hostBytesPerSecond,
    double messagesPerSecond,
    double hostMessagesPerSecond,
    Duration maxBackoffWait) {}
