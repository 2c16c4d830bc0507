package io.testbed.git.server.marks;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * The stock HTTP/1.1 NIO protocol on a {@link MarkingNioEndpoint}. Spring Boot creates it by class name
 * ({@code TomcatServletWebServerFactory.setProtocol}); {@link MarksConfiguration} then hands it the
 * board through a protocol handler customizer, before the connector starts.
 */
public class MarkingHttp11NioProtocol extends Http11NioProtocol {
    private final MarkingNioEndpoint endpoint;

    public MarkingHttp11NioProtocol() {
        this(new MarkingNioEndpoint());
    }

    private MarkingHttp11NioProtocol(MarkingNioEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    /** Where this connector's connections report their marks. */
    public void board(MarkBoard board) {
        endpoint.board(board);
    }
}
