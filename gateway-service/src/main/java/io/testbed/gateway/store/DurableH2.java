package io.testbed.gateway.store;

import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * H2 writes a commit to its file up to a second later by default ({@code WRITE_DELAY} 500 ms, the
 * store's background writer up to 1 s): a gateway killed in that second loses results it had already
 * answered for. With {@code WRITE_DELAY 0} every commit is in the file before it returns, whatever
 * URL the database was given. Other databases are left as they are.
 */
@Component
public class DurableH2 {

    private static final Logger log = LoggerFactory.getLogger(DurableH2.class);

    private final DataSource dataSource;

    public DurableH2(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @PostConstruct
    void apply() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if ("H2".equals(c.getMetaData().getDatabaseProductName())) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET WRITE_DELAY 0");
                }
                log.info("H2: every commit is written to the file before it returns (WRITE_DELAY 0)");
            }
        }
    }
}
