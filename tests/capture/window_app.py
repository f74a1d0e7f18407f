"""A real X window with known text, run as its own process (so capture/ stays Qt- and
Tk-free). Tk is part of CPython; no toolkit install is needed.

Usage: python window_app.py --title T --app-class C --theme light|dark --font "DejaVu Sans"
       --size 28 [--screen :N.1] [--geometry WxH+X+Y] [--dialog] LINE [LINE...]

``--dialog`` makes it a dialog window (the test window manager floats dialogs where they
ask to be instead of filling the screen). Prints ``ready <inner window id>`` once mapped.
Reads commands on stdin: ``set <index> <text>`` replaces a line, ``title <text>`` renames
the window, ``iconify`` minimises it, ``withdraw`` unmaps it, ``popup WxH+X+Y TEXT`` shows
an override-redirect pop-up (as menus and autofill lists are), ``quit``.
With ``--tick-ms N`` the last line shows a counter that changes every N ms (a busy screen).
"""

from __future__ import annotations

import argparse
import sys
import threading
import tkinter as tk

THEMES = {"light": ("#ffffff", "#111111"), "dark": ("#1e1e1e", "#e8e8e8")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--title", required=True)
    parser.add_argument("--app-class", default="engramtest")
    parser.add_argument("--theme", choices=sorted(THEMES), default="light")
    parser.add_argument("--font", default="DejaVu Sans")
    parser.add_argument("--size", type=int, default=28)
    parser.add_argument("--screen", default=None)
    parser.add_argument("--tick-ms", type=int, default=0)
    parser.add_argument("--geometry", default="1200x700+0+0")
    parser.add_argument("--dialog", action="store_true")
    parser.add_argument("lines", nargs="+")
    args = parser.parse_args()

    background, foreground = THEMES[args.theme]
    root = tk.Tk(screenName=args.screen, className=args.app_class)
    root.title(args.title)
    root.configure(background=background)
    root.geometry(args.geometry)
    if args.dialog:
        root.wm_attributes("-type", "dialog")
    labels = []
    for line in args.lines:
        label = tk.Label(root, text=line, font=(args.font, args.size), bg=background,
                         fg=foreground, anchor="w", justify="left")
        label.pack(fill="x", padx=40, pady=12)
        labels.append(label)

    if args.tick_ms:
        counter = {"n": 0}
        ticker = tk.Label(root, text="tick 0", font=(args.font, args.size), bg=background,
                          fg=foreground, anchor="w")
        ticker.pack(fill="x", padx=40, pady=12)

        def tick() -> None:
            counter["n"] += 1
            words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
            shift = counter["n"] % len(words)
            ticker.configure(text=f"{counter['n']}: " + " ".join(words[shift:] + words[:shift]))
            root.after(args.tick_ms, tick)

        root.after(args.tick_ms, tick)

    def command(line: str) -> None:
        verb, _, rest = line.rstrip("\n").partition(" ")
        if verb == "set":
            index, _, text = rest.partition(" ")
            labels[int(index)].configure(text=text)
        elif verb == "title":
            root.title(rest)
        elif verb == "iconify":
            root.iconify()
        elif verb == "withdraw":
            root.withdraw()
        elif verb == "popup":  # popup WxH+X+Y TEXT: an override-redirect pop-up (a menu)
            where, _, text = rest.partition(" ")
            # named like the app, as a Qt or GTK app's pop-ups are (WM_CLASS)
            popup = tk.Toplevel(root, background=background, name=args.app_class.lower(),
                                class_=args.app_class.capitalize())
            popup.overrideredirect(True)
            popup.geometry(where)
            tk.Label(popup, text=text, font=(args.font, args.size), bg=background,
                     fg=foreground).pack(fill="both", expand=True, padx=12, pady=12)
            popup.wait_visibility()
        elif verb == "quit":
            root.destroy()
            return
        root.update()
        root.winfo_pointerxy()  # a round trip: the server has drawn everything sent before
        print("done", flush=True)

    def read_stdin() -> None:
        for line in sys.stdin:
            root.after(0, command, line)
        root.after(0, root.destroy)

    def announce() -> None:
        root.wait_visibility()
        root.update()
        root.winfo_pointerxy()
        print(f"ready {root.winfo_id():#x}", flush=True)

    threading.Thread(target=read_stdin, daemon=True).start()
    root.after(0, announce)
    root.mainloop()


if __name__ == "__main__":
    main()
