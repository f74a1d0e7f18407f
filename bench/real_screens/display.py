"""A real X display for the corpus: Xvfb (1920x1080) with matchbox-window-manager, and the
real applications the scenes are shown in (Chromium in app mode, xterm running a real
shell). Only X tools talk to the windows (xdotool, xprop); the product is not involved."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.processes import stop_group
from bench.real_screens.corpus import Scene

WIDTH, HEIGHT = 1920, 1080
CHROMIUM_FLAGS = ("--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-default-apps", "--disable-extensions",
                  "--disable-translate", "--no-default-browser-check", "--password-store=basic",
                  "--force-device-scale-factor=1", "--window-position=0,0",
                  f"--window-size={WIDTH},{HEIGHT}")
PAINT_SECONDS = 2.0
PROGRAMS_WITHOUT_PROMPT = ("less ", "vi ", "vim ", "more ", "man ")


class DisplayError(RuntimeError):
    """The X display or an application could not be started; the message says which."""


def start_xvfb(screen: str, *, new_session: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """A new Xvfb server with one screen (``WxHxDEPTH``) on a free display it picks itself
    (``-displayfd``): the process and its display name (":N")."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp", "-noreset",
         "-screen", "0", screen],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=new_session)
    os.close(write_end)
    with os.fdopen(read_end) as reader:
        number = reader.readline().strip()
    if not number:
        xvfb.kill()
        xvfb.wait()
        raise DisplayError("Xvfb did not start")
    return xvfb, f":{number}"


def require_tools() -> None:
    missing = [t for t in ("Xvfb", "matchbox-window-manager", "xdotool", "xprop", "chromium",
                           "xterm") if shutil.which(t) is None]
    if missing:
        raise DisplayError(f"missing {', '.join(missing)}: run packaging/install-system-deps.sh")


class Display:
    """Xvfb plus a window manager; ``with Display() as d: d.env`` for child processes."""

    def __init__(self) -> None:
        self.xvfb: subprocess.Popen[bytes] | None = None
        self.wm: subprocess.Popen[bytes] | None = None
        self.name = ""

    def __enter__(self) -> Display:
        require_tools()
        try:
            self.xvfb, self.name = start_xvfb(f"{WIDTH}x{HEIGHT}x24", new_session=True)
        except DisplayError:
            self.close()
            raise
        self.wm = subprocess.Popen(
            ["matchbox-window-manager", "-use_titlebar", "no", "-display", self.name],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 20
        while "_NET_SUPPORTING_WM_CHECK(WINDOW)" not in self.xprop_root():
            if time.monotonic() > deadline:
                self.close()
                raise DisplayError("the window manager did not start")
            time.sleep(0.1)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for process in (self.wm, self.xvfb):
            if process is not None:
                stop_group(process, timeout=5)

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["DISPLAY"] = self.name
        return env

    def xprop_root(self) -> str:
        done = subprocess.run(["xprop", "-display", self.name, "-root"], capture_output=True,
                              text=True, timeout=10)
        return done.stdout

    def active_title(self) -> str:
        done = subprocess.run(["xdotool", "getactivewindow", "getwindowname"],
                              capture_output=True, text=True, env=self.env, timeout=10)
        return done.stdout.strip() if done.returncode == 0 else ""

    def active_pid(self) -> int | None:
        done = subprocess.run(["xdotool", "getactivewindow", "getwindowpid"],
                              capture_output=True, text=True, env=self.env, timeout=10)
        return int(done.stdout) if done.returncode == 0 and done.stdout.strip() else None

    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env=self.env, check=True, timeout=60,
                       capture_output=True)

    def wait_for(self, predicate: Callable[[], bool], what: str, timeout: float = 45.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise DisplayError(f"timed out waiting for {what}")
            time.sleep(0.2)


class SceneWindow:
    """One scene's application window, opened and drawn; closed on exit."""

    def __init__(self, display: Display, scene: Scene, workdir: Path) -> None:
        self.display = display
        self.scene = scene
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> SceneWindow:
        if self.scene.app == "chromium":
            self._open_chromium()
        else:
            self._open_xterm()
        # A user's hand on the mouse: real input, so the idle pause never starts.
        self.display.xdotool("mousemove", str(WIDTH - 5), str(HEIGHT - 5))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            stop_group(self.process, timeout=5)
        deadline = time.monotonic() + 10
        while self.display.active_pid() is not None and time.monotonic() < deadline:
            time.sleep(0.1)

    def page_down(self) -> None:
        self.display.xdotool("key", "Next")
        time.sleep(1.0)

    def _mine(self) -> bool:
        return self.process is not None and self.display.active_pid() is not None

    def _open_chromium(self) -> None:
        import html.parser

        class Title(html.parser.HTMLParser):
            def __init__(self) -> None:
                super().__init__()
                self.inside = False
                self.text = ""

            def handle_starttag(self, tag: str, attrs: object) -> None:
                self.inside = tag == "title"

            def handle_endtag(self, tag: str) -> None:
                self.inside = False

            def handle_data(self, data: str) -> None:
                if self.inside:
                    self.text += data

        parser = Title()
        parser.feed(self.scene.material_path.read_text(encoding="utf-8"))
        title = " ".join(parser.text.split())
        profile = self.workdir / "chromium-profile"
        profile.mkdir(parents=True, exist_ok=True)
        url = self.scene.material_path.resolve().as_uri()
        self.process = subprocess.Popen(
            ["chromium", f"--app={url}", f"--user-data-dir={profile}", *CHROMIUM_FLAGS],
            env=self.display.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        self.display.wait_for(lambda: self.display.active_title() == title,
                              f"Chromium to show {title!r}", timeout=60)
        time.sleep(PAINT_SECONDS)

    def _open_xterm(self) -> None:
        session = self.scene.session
        home = self.workdir / "home"
        if home.exists():
            shutil.rmtree(home)
        source = self.scene.directory / "home"
        if source.is_dir():
            shutil.copytree(source, home)
        else:
            home.mkdir(parents=True)
        env = self.display.env
        env.update({"HOME": str(home), "TERM": "xterm", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                    "HISTFILE": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"})
        for command in session["setup"]:
            subprocess.run(["bash", "-c", command], cwd=home, env=env, check=True,
                           capture_output=True, timeout=60)
        prompts = self.workdir / "prompts"
        prompts.write_text("")
        shell = session["shell"]
        argv = _shell_argv(shell, session["prompt"], home, prompts, env)
        self.process = subprocess.Popen(
            ["xterm", "-fa", "DejaVu Sans Mono", "-fs", "12", "-geometry", "150x46+0+0",
             "-bg", "white", "-fg", "black", "-e", *argv],
            cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)

        def prompts_seen() -> int:
            return len(prompts.read_text().splitlines())

        self.display.wait_for(lambda: self._mine() and prompts_seen() >= 1,
                              f"{shell} in xterm to show its prompt")
        for command in session["commands"]:
            before = prompts_seen()
            self.display.xdotool("type", "--delay", "6", command)
            self.display.xdotool("key", "Return")
            if command.startswith(PROGRAMS_WITHOUT_PROMPT):
                time.sleep(2.0)
                continue
            self.display.wait_for(partial(_more_than, prompts_seen, before),
                                  f"{command!r} to finish", timeout=120)
        time.sleep(1.0)


def _more_than(count: Callable[[], int], before: int) -> bool:
    return count() > before


def _shell_argv(shell: str, prompt: str, home: Path, prompts: Path,
                env: dict[str, str]) -> list[str]:
    """The shell and an init file that sets the scene's prompt and appends one line to
    ``prompts`` each time a prompt is drawn (how the harness knows a command finished)."""
    q = str(prompts).replace("'", "")
    rc = home.parent / "rc"
    rc.mkdir(exist_ok=True)
    if shell == "bash":
        (rc / "bashrc").write_text(
            f"PS1={_sh_quote(prompt)}\nPROMPT_COMMAND='echo >> {q}'\n", encoding="utf-8")
        return ["bash", "--noprofile", "--rcfile", str(rc / "bashrc"), "-i"]
    if shell == "zsh":
        env["ZDOTDIR"] = str(rc)
        (rc / ".zshrc").write_text(
            f"PROMPT={_sh_quote(prompt)}\nprecmd() {{ echo >> '{q}' }}\n", encoding="utf-8")
        return ["zsh", "-i"]
    (rc / "config.fish").write_text(
        "set -g fish_greeting ''\n"
        f"function fish_prompt; echo -n {_sh_quote(prompt)}(prompt_pwd)'> '; end\n"
        f"function __rs_prompt --on-event fish_prompt; echo >> '{q}'; end\n",
        encoding="utf-8")
    return ["fish", "--no-config", "-C", f"source {rc / 'config.fish'}"]


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
