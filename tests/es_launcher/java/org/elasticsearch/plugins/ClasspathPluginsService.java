package org.elasticsearch.plugins;

import java.util.List;
import java.util.Map;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.jdk.ModuleQualifiedExportsService;

/**
 * Plugins given as classes on the JVM classpath (e.g. transport-netty4's Netty4Plugin from its Maven Central
 * jar) instead of folders of a distribution. In this package for the package-private LoadedPlugin record and
 * loadPlugin.
 */
public final class ClasspathPluginsService extends PluginsService {
    private final List<LoadedPlugin> loaded;

    public ClasspathPluginsService(Settings settings, Environment environment, List<Class<? extends Plugin>> classes) {
        super(settings, environment.configFile(), environment.modulesFile(), environment.pluginsFile());
        String javaVersion = Integer.toString(Runtime.version().feature());
        this.loaded = classes.stream().map(type -> new LoadedPlugin(
            new PluginDescriptor(type.getName(), "loaded from the classpath", "NA", Build.current().version(), javaVersion,
                type.getName(), null, List.of(), false, false, false, false),
            loadPlugin(type, settings, environment.configFile()), type.getClassLoader(), ModuleLayer.boot())).toList();
    }

    @Override
    protected void addServerExportsService(Map<String, List<ModuleQualifiedExportsService>> exports) {
        // the server is on the classpath (the unnamed module): it has no qualified exports to add
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return loaded;
    }

    @Override
    public PluginsAndModules info() {
        return new PluginsAndModules(List.of(), loaded.stream().map(LoadedPlugin::descriptor).toList());
    }
}
