"""`testimony serve` and `testimony vocabulary`."""

from __future__ import annotations

from functools import partial

import click

from ..fields import TAG_FACETS
from .context import Context, pass_context

# The thesauri (places come from ISO 3166 and GeoNames, not from a list of ours).
VOCABULARIES = {facet.section: facet for facet in TAG_FACETS if facet.name != "locations"}


@click.command("vocabulary")
@click.argument("name", type=click.Choice(list(VOCABULARIES)), default="abuse-types")
@click.option("--language", type=click.Choice(["en", "es"]), default="en", show_default=True)
@pass_context
def vocabulary_command(context: Context, name: str, language: str) -> None:
    """List the ids and labels of a vocabulary (abuse types or perpetrators)."""
    thesaurus = context.archive.vocabulary.thesaurus(VOCABULARIES[name].name)
    for term in thesaurus:
        indent = "  " if term.parent else ""
        click.echo(f"{indent}{term.id:<34} {term.label(language)}")


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on (0.0.0.0: every address; put HTTPS in front).",
)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    help="The reverse proxies (addresses, comma-separated) whose X-Forwarded-Proto and "
    "X-Forwarded-For are believed: the HTTPS scheme (Secure cookies) and the client's address.",
)
@pass_context
def serve_command(
    context: Context, host: str, port: int, workers: int, forwarded_allow_ips: str
) -> None:
    """Serve the archive's web pages and JSON API."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from ..web.app import create_app

    context.database.close()  # one that is behind stops the server here, saying what to run
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"Listening on {host}: anyone who reaches this address reaches the archive. "
            "Serve it behind HTTPS (see the README, 'Putting it on a network').",
            err=True,
        )

    # The factory and its settings travel to each worker process as they are (pickled),
    # never through the environment.
    config = uvicorn.Config(
        partial(create_app, context.settings),
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )
    try:
        if workers > 1:
            Multiprocess(config, sockets=[config.bind_socket()]).run()
            return
        server = uvicorn.Server(config)
        server.run()
    except KeyboardInterrupt:
        return
    if not server.started:
        raise SystemExit(3)  # uvicorn has said why (a port in use, an app that failed)
