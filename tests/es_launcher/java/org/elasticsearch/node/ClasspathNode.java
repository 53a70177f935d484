package org.elasticsearch.node;

import java.util.List;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsService;

/**
 * A real Elasticsearch node whose plugins are classes on the classpath rather than the modules/ folder of a
 * distribution, which is how Elasticsearch's own test framework starts nodes. It sits in this package only to
 * reach the package-private NodeConstruction and NodeServiceProvider (the server jar is not a sealed module on
 * the classpath).
 */
public final class ClasspathNode extends Node {
    public ClasspathNode(Environment environment, List<Class<? extends Plugin>> plugins) {
        super(NodeConstruction.prepareConstruction(environment, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment env, Settings settings) {
                return new ClasspathPluginsService(settings, env, plugins);
            }
        }, true));
    }
}
