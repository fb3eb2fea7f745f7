package dev.mercato.auth.oauth;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on a dedicated database connection for the revocations and client changes servers announce
 * ({@code LISTEN mercato_oauth_revocations}, {@code LISTEN mercato_oauth_client_changes}): revocations go to
 * {@link RevokedTokens}, so a revoked token stops working on every server within moments, and changed clients
 * leave {@link CachedRegisteredClients}, so an old secret does too. After every (re)connection it reconciles from
 * the tables and empties the client cache, since notifications sent while it was not listening are lost.
 */
class RevocationListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RevocationListener.class);
    private static final int POLL_MILLIS = 500;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final DataSource dataSource;
    private final RevokedTokens revoked;
    private final CachedRegisteredClients clients;
    private volatile boolean running;
    private volatile Connection connection;
    private Thread thread;

    RevocationListener(DataSource dataSource, RevokedTokens revoked, CachedRegisteredClients clients) {
        this.dataSource = dataSource;
        this.revoked = revoked;
        this.clients = clients;
    }

    /** Connects and loads the revocations before returning, so the server never starts without them. */
    synchronized void start() throws SQLException {
        if (running) {
            return;
        }
        running = true;
        connection = listen();
        thread = new Thread(this::run, "oauth-revocation-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2 * POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        closeQuietly(connection);
    }

    private Connection listen() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(true);
            try (Statement statement = c.createStatement()) {
                statement.execute("LISTEN " + RevocationRepository.CHANNEL);
                statement.execute("LISTEN " + CachedRegisteredClients.CHANNEL);
            }
            revoked.reconcile();
            clients.clear();
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private void run() {
        long backoff = 100;
        while (running) {
            try {
                if (connection == null) {
                    connection = listen();
                    log.info("Listening for OAuth revocations again");
                }
                PGNotification[] notifications =
                        connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        if (CachedRegisteredClients.CHANNEL.equals(notification.getName())) {
                            clients.changed(notification.getParameter());
                        } else {
                            Revocation.parse(notification.getParameter()).ifPresent(revoked::add);
                        }
                    }
                }
                backoff = 100;
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn(
                        "Lost the OAuth revocation listener's connection; reconnecting in {} ms: {}",
                        backoff,
                        e.getMessage());
                closeQuietly(connection);
                connection = null;
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("Closing the revocation listener's connection failed", e);
        }
    }
}
