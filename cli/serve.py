"""`iku serve`: the web app on a production WSGI server (waitress), optionally on a demo year."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import click

from cli import context
from domain.accounts import ROLES


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads.")
@click.option("--demo", is_flag=True, help="Serve a throw-away data dir with a realistic sample year.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, demo: bool) -> None:
    """Serve the web app with waitress (Bahasa Indonesia by default).

    The read model follows the event store from a background thread: it catches up while the server
    already answers, then picks up what other nodes store (IKU_FOLLOW_INTERVAL seconds, default 0.5).
    With IKU_LINKCHECK_INTERVAL (seconds, or 30m, 6h, 1d; off by default) a background job checks the
    publications' links not checked within that interval, as `iku links check` does (run it on one node).

    Example: iku serve --demo
    """
    from waitress import serve as waitress_serve

    from services import accounts
    from webapp import create_app

    if demo:
        from services.demo import build_demo

        data_dir = Path(tempfile.mkdtemp(prefix="iku-demo-"))
        click.echo(f"membangun data contoh di {data_dir} …")
        summary = build_demo(data_dir)
        click.echo(f"{summary['activities']} kegiatan, {summary['events']} peristiwa")
        runtime = context.runtime_for(ctx, data_dir)
        for role in ROLES:
            password = accounts.generate_password()
            accounts.add_user(runtime, role, role, password, actor="demo")
            click.echo(f"akun {role:<9} nama: {role:<9} kata sandi: {password}")
    else:
        runtime = context.runtime(ctx, catch_up=False)
    from services.linkcheck import IntervalSettingError, start_job
    from services.linkfetch import LinkCheckSettingError

    following = runtime.follow()
    try:
        link_job = start_job(runtime, os.environ)
    except (IntervalSettingError, LinkCheckSettingError) as error:
        following.stop()
        raise context.IkuError(str(error)) from None
    if link_job is not None:
        click.echo(context.say(ctx, "pemeriksaan tautan publikasi berjalan tiap %(seconds)s detik",
                               seconds=f"{link_job.interval:g}"))
    app = create_app({"RUNTIME": runtime})
    click.echo(f"iku-humas melayani di http://{host}:{port}/  (Ctrl+C untuk berhenti)")
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="iku-humas")
    finally:
        if link_job is not None:
            link_job.stop()
        following.stop()
        if demo:
            runtime.close()
            shutil.rmtree(data_dir, ignore_errors=True)  # the demo data dir is throw-away
