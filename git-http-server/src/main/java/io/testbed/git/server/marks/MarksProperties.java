package io.testbed.git.server.marks;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The mark feed: where kernel-sim subscribes to the marks of its own connections.
 *
 * @param enabled          count the HTTPS connector's socket bytes and serve the feed
 * @param address          the feed's bind address (loopback unless opened; the docker profile opens it
 *                         inside the compose network, whose port is not published)
 * @param port             the feed's TCP port (0: any free port)
 * @param allowedPeers     CIDR blocks a subscriber may connect from; anyone else is refused at accept
 * @param maxSubscribers   subscribers at once (one per kernel-sim process and upstream)
 * @param maxSubscriptions open subscriptions per subscriber (one per simulated connection)
 * @param queueMarks       marks waiting to be written to one subscriber; a subscriber that falls this far
 *                         behind is dropped (kernel-sim then falls back to quiet windows and says so)
 */
@ConfigurationProperties("testbed.git.marks")
public record MarksProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("127.0.0.1") String address,
        @DefaultValue("8444") int port,
        @DefaultValue({"127.0.0.0/8", "::1/128"}) List<String> allowedPeers,
        @DefaultValue("16") int maxSubscribers,
        @DefaultValue("4096") int maxSubscriptions,
        @DefaultValue("16384") int queueMarks) {

    public MarksProperties {
        allowedPeers = allowedPeers == null ? List.of() : List.copyOf(allowedPeers);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("testbed.git.marks.port must be 0..65535, got " + port);
        }
        if (maxSubscribers < 1 || maxSubscriptions < 1 || queueMarks < 16) {
            throw new IllegalArgumentException("testbed.git.marks: max-subscribers and max-subscriptions must be at "
                    + "least 1 and queue-marks at least 16");
        }
        allowedPeers.forEach(Cidr::parse); // a bad entry fails the start, naming it
    }
}
