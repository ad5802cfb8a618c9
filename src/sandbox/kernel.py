"""A persistent Python kernel: one JSON request per line on stdin, one JSON reply per line on stdout.

Request:  {"id": 1, "code": "...", "timeout": 60.0, "output_cap": 65536}
Reply:    {"id": 1, "stdout", "stderr", "result", "error": {name, value, traceback} | null,
           "timed_out", "truncated"}
Globals persist between requests, like notebook cells. The reply channel is a private copy of fd 1:
during a cell fd 1 and 2 point at capture files, so print(), C extensions and subprocesses are all
captured and cannot corrupt the protocol. Runs inside the sandbox; limits are enforced from outside.
"""

import ast, json, os, signal, sys, traceback  # noqa: E401

replies = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
os.dup2(os.open("/dev/null", os.O_RDONLY), 0)  # input() gets EOF instead of eating requests
os.dup2(os.open("/dev/null", os.O_WRONLY), 1)  # a thread printing after its cell must not write into replies

import matplotlib  # noqa: E402  (pre-imported so that a cell's `import pandas` is instant)

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy  # noqa: E402, F401
import pandas  # noqa: E402, F401

KERNEL_PID = os.getpid()
USER_GLOBALS = {"__name__": "__main__", "__builtins__": __builtins__}
armed = False


class ExecutionTimeout(BaseException):
    """Raised in the cell when its time is up (a BaseException, so `except Exception` does not swallow it)."""


def on_alarm(signum, frame):
    if armed:  # a late signal after the cell ended must not hit the kernel's own code
        raise ExecutionTimeout("the execution exceeded its time limit; variables are kept")


signal.signal(signal.SIGALRM, on_alarm)


def show(*args, **kwargs):
    """plt.show() saves each open figure to /mnt/data/figure-N.png (the Agg backend has no window)."""
    for number in plt.get_fignums():
        n = 1
        while os.path.exists(f"/mnt/data/figure-{n}.png"):
            n += 1
        plt.figure(number).savefig(f"/mnt/data/figure-{n}.png")
    plt.close("all")


plt.show = show


def run_cell(code):
    tree = ast.parse(code, "<cell>", "exec")
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), USER_GLOBALS)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), USER_GLOBALS)
        if value is not None:
            return repr(value)
    return None


def user_traceback(error):
    summary = traceback.TracebackException.from_exception(error)
    pending = [summary]
    while pending:  # drop the kernel's own frames, in chained exceptions too
        part = pending.pop()
        keep = [] if issubclass(part.exc_type, SyntaxError) else [f for f in part.stack if f.filename != __file__]
        part.stack = traceback.StackSummary.from_list(keep)
        pending += [p for p in (part.__cause__, part.__context__) if p is not None]
    return "".join(summary.format())


def read_capped(fd, cap):
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, 0)
    data = os.read(fd, cap) if cap > 0 else b""
    os.close(fd)
    return data.decode("utf-8", "replace"), size > cap


def cut(text, cap):
    return (text, False) if text is None or len(text) <= cap else (text[:cap] + "\n[…truncated]", True)


def flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # e.g. File too large: the cell's output is lost, the kernel is not
            pass


def execute(code, timeout, cap):
    global armed
    flush()
    saved = os.dup(1), os.dup(2)
    captures = [os.open(f"/tmp/.kernel-{name}", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600) for name in ("out", "err")]
    os.dup2(captures[0], 1)
    os.dup2(captures[1], 2)
    result = error = None
    timed_out = False
    try:
        try:
            if timeout:
                armed = True
                # Re-fires every second: code that catches the first one still cannot run on forever.
                signal.setitimer(signal.ITIMER_REAL, timeout, 1.0)
            result = run_cell(code)
        finally:
            armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
    except BaseException as e:  # SystemExit and KeyboardInterrupt included: the kernel stays
        timed_out = isinstance(e, ExecutionTimeout)
        error = {"name": type(e).__name__, "value": str(e), "traceback": user_traceback(e)}
    finally:
        if os.getpid() != KERNEL_PID:
            os._exit(0)  # a child the cell forked must never answer requests
        flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        os.close(saved[0])
        os.close(saved[1])
        plt.close("all")  # like a notebook: figures not shown are dropped after the cell
    stdout, cut_out = read_capped(captures[0], cap)
    stderr, cut_err = read_capped(captures[1], cap)
    result, cut_result = cut(result, cap)
    if error:
        error["value"], cut_value = cut(error["value"], cap)
        error["traceback"], cut_tb = cut(error["traceback"], cap)
    else:
        cut_value = cut_tb = False
    truncated = cut_out or cut_err or cut_result or cut_value or cut_tb
    return {"stdout": stdout, "stderr": stderr, "result": result, "error": error,
            "timed_out": timed_out, "truncated": truncated}  # fmt: skip


replies.write(json.dumps({"ready": True, "python": sys.version.split()[0]}) + "\n")
for line in requests:
    try:
        request = json.loads(line)
        reply = execute(request["code"], request.get("timeout"), int(request.get("output_cap", 65536)))
        reply["id"] = request.get("id")
    except BaseException as e:  # MemoryError while building the reply, a malformed request, …
        reply = {"id": None, "protocol_error": f"{type(e).__name__}: {e}"}
        try:
            reply["id"] = json.loads(line).get("id")
        except BaseException:
            pass
    replies.write(json.dumps(reply, ensure_ascii=False) + "\n")
