"""The course's JupyterLab on Debian's jupyterlab_server (LabServerApp) and jupyter_server 1.x.

Run by tools/lab.ts with /usr/bin/python3; INTERLEAVE_LAB_APP names the built
application (tools/lab-build.ts). JupyterLab 4's front end also asks for two
endpoints that jupyter_server added in 2.0, which 1.x answers with 404:
  GET /api/me               who the user is (the front end retries it and logs errors);
  WS  /api/events/subscribe the server's event stream (the front end reconnects forever).
This module answers both: a fixed local user, and an event stream that stays
open and never sends (jupyter_server 1.x emits no events).
"""
import json
import os

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.base.zmqhandlers import WebSocketMixin
from jupyterlab_server import LabServerApp
from tornado import web, websocket

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.environ.get("INTERLEAVE_LAB_APP", os.path.join(HERE, "build"))
# The user's settings and layout: INTERLEAVE_LAB_USER_DIR (the tests' own), else the
# project's Jupyter config dir (tools/jupyter-env.ts: the git-ignored .jupyter/config).
USER_DIR = os.environ.get("INTERLEAVE_LAB_USER_DIR") or os.path.join(os.environ.get("JUPYTER_CONFIG_DIR", os.path.join(HERE, ".user")), "lab")


def built_version():
    """The JupyterLab version the build recorded (tools/lab-build.ts), for the page's appVersion."""
    try:
        with open(os.path.join(APP, "build-record.json")) as f:
            return json.load(f)["jupyterlab"]
    except (OSError, ValueError, KeyError):
        return ""


class MeHandler(APIHandler):
    """GET /api/me, as jupyter_server 2 answers it for a single local user."""

    @web.authenticated
    def get(self):
        name = os.environ.get("USER") or "learner"
        identity = {"username": name, "name": name, "display_name": name, "initials": name[:1].upper(), "avatar_url": None, "color": None}
        self.finish({"identity": identity, "permissions": {}})


class EventsHandler(WebSocketMixin, websocket.WebSocketHandler, JupyterHandler):
    """WS /api/events/subscribe: open, and silent (no server events in jupyter_server 1.x)."""

    def set_default_headers(self):
        pass  # JupyterHandler's headers are for pages, not websockets

    async def get(self, *args, **kwargs):
        # As jupyter_server's own websockets: the login cookie or token, else 403.
        if self.get_current_user() is None:
            raise web.HTTPError(403)
        return await super().get(*args, **kwargs)

    def on_message(self, message):
        pass


def _jupyter_server_extension_points():
    # The server finds the app through this module (run as a script: "__main__").
    return [{"module": __name__, "app": InterleaveLab}]


class InterleaveLab(LabServerApp):
    name = __name__
    app_name = "JupyterLab"
    extension_url = "/lab"
    default_url = "/lab"
    load_other_extensions = False
    app_version = built_version()
    app_dir = APP
    static_dir = APP
    schemas_dir = os.path.join(APP, "schemas")
    themes_dir = os.path.join(APP, "themes")
    templates_dir = os.path.join(HERE, "templates")
    app_settings_dir = os.path.join(HERE, "settings")
    user_settings_dir = os.path.join(USER_DIR, "user-settings")
    workspaces_dir = os.path.join(USER_DIR, "workspaces")

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.append((r"/api/me", MeHandler))
        self.handlers.append((r"/api/events/subscribe", EventsHandler))

    def initialize_settings(self):
        super().initialize_settings()
        settings = self.serverapp.web_app.settings
        settings["terminals_available"] = False
        if os.environ.get("INTERLEAVE_LAB_EXPOSE_APP") == "1":
            # For the browser tests: the page sets window.jupyterapp.
            settings.setdefault("page_config_data", {})["exposeAppInBrowser"] = True


if __name__ == "__main__":
    InterleaveLab.launch_instance()
