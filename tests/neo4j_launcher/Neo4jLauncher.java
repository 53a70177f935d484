import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * A real Neo4j Community server for the test suite: embedded DBMS with the Bolt connector on
 * 127.0.0.1, auth disabled. Usage: java -cp 'lib/*:classes' Neo4jLauncher DATA_DIR PORT.
 * Prints "BOLT_READY bolt://127.0.0.1:PORT" once Bolt accepts connections; stops on SIGTERM or
 * when its standard input closes (so it never outlives the test process that started it).
 */
public final class Neo4jLauncher {
    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, 64L * 1024 * 1024)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));
        dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        System.out.println("BOLT_READY bolt://127.0.0.1:" + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // keep serving until the parent closes our stdin
        }
        System.exit(0);
    }
}
