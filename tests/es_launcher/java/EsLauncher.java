import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * A real single-node Elasticsearch 8 for the test suite: the server jar and its transport-netty4 module from
 * Maven Central, plus RootInfoPlugin (GET /) and EnglishAnalyzerPlugin (the "english" analyzer), on 127.0.0.1
 * with security off (as in docker-compose.yml). Usage: java -cp 'lib/*:classes' EsLauncher HOME [PORT], PORT 0
 * (the default) for any free port. Its log goes to stderr; stdout carries one line, "HTTP_READY http://127.0.0.1:PORT"
 * once HTTP answers or "FAILED reason" if the node cannot start. It stops on SIGTERM or when its standard input
 * closes (so it never outlives the test process that started it).
 */
public final class EsLauncher {
    /** The server's INFO log on the console, i.e. stderr (see main). */
    static final String LOG_CONFIG = String.join("\n",
        "status = error",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%c{1.}] [%node_name]%marker %m%n",
        "rootLogger.level = info",
        "rootLogger.appenderRef.console.ref = console",
        "");

    public static void main(String[] args) throws Exception {
        PrintStream status = System.out;
        System.setOut(System.err); // the server's console logger writes to System.out: keep stdout for the status line
        Path home = Path.of(args[0]).toAbsolutePath();
        String port = args.length > 1 ? args[1] : "0";
        Node node;
        try {
            Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("cluster.name", "mlentory-tests")
                .put("node.name", "mlentory-tests")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", port)
                .put("transport.port", "0")
                .put("http.type", "netty4")
                .put("transport.type", "netty4")
                // a nearly full disk must not turn the test indices read-only
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
            Files.createDirectories(home.resolve("config"));
            Files.writeString(home.resolve("config").resolve("log4j2.properties"), LOG_CONFIG);
            Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "mlentory-tests");
            LogConfigurator.setNodeName("mlentory-tests");
            LogConfigurator.configureESLogging();
            LogConfigurator.configure(environment, true);
            node = new ClasspathNode(environment, List.of(Netty4Plugin.class, RootInfoPlugin.class, EnglishAnalyzerPlugin.class));
            node.start();
        } catch (Throwable failure) {
            status.println("FAILED " + describe(failure));
            status.flush();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }, "es-launcher-shutdown"));
        int bound = node.injector().getInstance(HttpServerTransport.class).boundAddress().publishAddress().getPort();
        status.println("HTTP_READY http://127.0.0.1:" + bound);
        status.flush();
        while (System.in.read() != -1) {
            // keep serving until the parent closes our stdin
        }
        System.exit(0);
    }

    /** The failure and its root cause on one line, e.g. "BindTransportException: Failed to bind ... (BindException: Address already in use)". */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String line = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        if (root != failure) {
            line += " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
        }
        return line.replace('\n', ' ');
    }
}
