package io.testbed.gateway.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * Bounds of the event-stream relay ({@code GET /api/downloads/{id}/events}), {@code testbed.events.*}.
 *
 * @param maxRelays      relays open at once in all; one more is refused with 429 and Retry-After
 * @param maxPerDownload relays open at once for one download; one more is refused with 429
 * @param heartbeat      how often an idle relay writes an SSE comment: how soon a closed client is noticed
 * @param maxWall        the longest a relay stays open
 */
@ConfigurationProperties("testbed.events")
public record EventRelayProperties(@DefaultValue("16") int maxRelays, @DefaultValue("4") int maxPerDownload,
                                   @DefaultValue("2s") Duration heartbeat, @DefaultValue("30m") Duration maxWall) {
}
