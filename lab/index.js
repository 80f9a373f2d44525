// The course's JupyterLab: the application shell plus the plugin packages that
// package.json lists, started once the page has loaded.
import { JupyterLab } from "@jupyterlab/application";
import { JupyterPluginRegistry, PageConfig } from "@jupyterlab/coreutils";
import { IConnectionStatus, IServiceManager } from "@jupyterlab/services";

// Chunks and CSS assets load from the server's static URL; set before any import() runs.
// eslint-disable-next-line no-undef
__webpack_public_path__ = PageConfig.getOption("fullStaticUrl") + "/";

const styles = import("./build/style.js");
const plugins = import("./build/plugins.js");

/**
 * A module's plugins, less those the page config disables (lab/settings/page_config.json) and
 * those that need a language server (none runs here: they would only fail to start).
 */
const pluginsOf = (mod) => [mod.default].flat().filter((p) => !p.id.includes(":language-server") && !PageConfig.Extension.isDisabled(p.id));

window.addEventListener("load", async () => {
  await styles;
  const { extensions, mimeExtensions } = await plugins;
  // The service manager (kernels, sessions, contents) is itself a plugin
  // (@jupyterlab/services-extension): register everything, then ask the registry for it.
  const pluginRegistry = new JupyterPluginRegistry();
  pluginRegistry.registerPlugins((await Promise.all(extensions)).flatMap(pluginsOf));
  const lab = new JupyterLab({
    pluginRegistry,
    serviceManager: await pluginRegistry.resolveRequiredService(IServiceManager),
    connectionStatus: await pluginRegistry.resolveOptionalService(IConnectionStatus),
    mimeExtensions: (await Promise.all(mimeExtensions)).map((m) => ({ __esModule: true, default: pluginsOf(m) })),
  });
  // As JupyterLab's own app does: tests and scripts may ask for `window.jupyterapp`.
  if (String(PageConfig.getOption("exposeAppInBrowser")).toLowerCase() === "true") window.jupyterapp = lab;
  await lab.start();
  await lab.restored;
});
