"""``briefgen serve``: build, serve locally, rebuild on save and reload the browser."""

from __future__ import annotations

import argparse
import threading
import webbrowser
from pathlib import Path

from briefgen.commands.options import add_site_options, config_from_args, require_site

DESCRIPTION = ("Build the site into a temporary folder, serve it, watch content/, the "
               "config, the theme, templates/ and static/, rebuild on change and reload "
               "the open pages. Build errors show in the browser; the server keeps "
               "running. The preview is served at / whatever base_url says (links are "
               "relative, so the site works the same under a sub-path).")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # No --base-url: the preview is always served at its root.
    add_site_options(parser, base_url=False)
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default: 127.0.0.1, this machine only)")
    parser.add_argument("-p", "--port", type=int, default=8000,
                        help="port to listen on (default: 8000; 0 picks a free one)")
    parser.add_argument("--open", action="store_true", help="open the site in a browser")
    parser.add_argument("--no-reload", dest="live_reload", action="store_false",
                        help="still rebuild on save, but do not reload pages or show "
                             "errors in them")
    parser.add_argument("-o", "--output", type=Path, metavar="DIR",
                        help="build into DIR (default: a temporary folder, so public/ "
                             "is never touched)")


def run(args: argparse.Namespace) -> int:
    from briefgen.serve.app import PreviewSession, ServeOptions

    require_site(args)
    options = ServeOptions(host=args.host, port=args.port, live_reload=args.live_reload,
                           open_browser=args.open, output=args.output)
    # The preview is private: embargoed briefings show, under an EMBARGOED banner.
    session = PreviewSession(lambda: config_from_args(args).with_overrides(embargoed=True),
                             options)
    try:
        url = session.start()
        print(f"Serving {url}  (Ctrl-C to stop)", flush=True)
        if options.open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        session.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.", flush=True)
    finally:
        session.stop()
    return 0
