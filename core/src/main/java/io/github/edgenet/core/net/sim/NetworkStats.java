package io.github.edgenet.core.net.sim;

/**
 * Counters of a {@link NetworkSimulator} since it was built, as returned by {@link
 * NetworkSimulator#stats()}. An immutable snapshot.
 *
 * <p>Every message that enters a link ({@code sent}) ends up delivered, dropped, or still in flight;
 * {@code duplicated} copies are extra deliveries on top:
 * {@code sent + duplicated = delivered + lost + partitioned + receiverDown + inFlight}. Drops before
 * a message reaches a link ({@code senderDown}, {@code oversize}, {@code unknownPeer}) are not in
 * {@code sent}.
 *
 * @param sent messages that entered a link: node sends and gossip copies, or, for a node with an
 *     interceptor, what the interceptor emitted
 * @param delivered messages handed to a receiving endpoint
 * @param duplicated extra copies made by links
 * @param lost messages the links lost
 * @param partitioned messages dropped because a partition separated sender and receiver
 * @param senderDown messages a crashed node tried to send
 * @param receiverDown messages dropped because the receiver was down or crashed while they were in
 *     flight
 * @param oversize interceptor messages dropped for exceeding the size limit
 * @param unknownPeer messages to node ids the simulator does not know
 * @param timersRun timers and scheduled tasks that ran
 * @param events events processed (deliveries, drops at arrival, timers, view changes)
 * @param inFlight messages (copies included) queued and not yet delivered or dropped
 */
public record NetworkStats(
    long sent,
    long delivered,
    long duplicated,
    long lost,
    long partitioned,
    long senderDown,
    long receiverDown,
    long oversize,
    long unknownPeer,
    long timersRun,
    long events,
    long inFlight) {}
