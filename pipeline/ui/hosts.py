"""Which Host names the UI answers to: loopback always, this machine's names when bound elsewhere."""

from __future__ import annotations

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1"]


def is_loopback(host: str) -> bool:
    return host in LOOPBACK_NAMES or host.startswith("127.")


def machine_names(bind: str) -> list[str]:
    """The names and addresses this machine answers to on `bind` (0.0.0.0 or :: meaning every
    interface): what a browser may legitimately put in the Host header, besides loopback."""
    import socket

    names = [] if bind in ("0.0.0.0", "::", "") else [bind]
    if not names:
        hostname = socket.gethostname()
        names += [hostname, socket.getfqdn()]
        try:
            names += socket.gethostbyname_ex(hostname)[2]
        except OSError:
            pass
        try:  # the address of the default route (a UDP "connect" sends nothing)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("192.0.2.1", 9))
                names.append(probe.getsockname()[0])
        except OSError:
            pass
    return [n for n in dict.fromkeys(names) if n and not is_loopback(n)]


def url_for(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
