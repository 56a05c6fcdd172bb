"""Execute one notebook headless with nbclient and the tslab kernel (called by lib/notebook/runner.ts).

usage: python3 execute_notebook.py <in.ipynb> <out.ipynb> <timeout_s> <kernel_name> [<out.html>]
Writes the executed notebook (also when a cell fails, with outputs up to the failure) and prints one
JSON line on stdout: {"ok": bool, "cell": index|null, "error": text|null, "seconds": float}.
The error text is what the failing cell printed: tslab reports type errors and exceptions on stderr
and sends an empty error reply, so the cell's error and stderr outputs are collected here.
"""
import json, os, sys, time
import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def failing_cell_text(nb, index):
    if index is None:
        return None
    parts = []
    for out in nb.cells[index].get('outputs', []):
        if out.get('output_type') == 'error':
            tb = '\n'.join(out.get('traceback') or [])
            parts.append(tb or f"{out.get('ename', '')}: {out.get('evalue', '')}")
        elif out.get('output_type') == 'stream' and out.get('name') == 'stderr':
            parts.append(out.get('text', ''))
    return '\n'.join(p.strip('\n') for p in parts if p.strip()) or None


def write_atomic(path, text):
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(tmp, path)


def main():
    src, dst, timeout, kernel = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    html = sys.argv[5] if len(sys.argv) > 5 else None
    nb = nbformat.read(src, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, allow_errors=False,
                            resources={'metadata': {'path': os.path.dirname(os.path.abspath(src))}})
    t0 = time.time()
    ok, index, error = True, None, None
    try:
        client.execute()
    except CellExecutionError as e:
        ok = False
        # the failing cell is the last code cell that has an execution count
        executed = [i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and c.get('execution_count')]
        if executed:
            index = executed[-1]
        error = failing_cell_text(nb, index) or str(e)
    except (CellTimeoutError, DeadKernelError, RuntimeError) as e:
        ok = False
        executed = [i for i, c in enumerate(nb.cells) if c.cell_type == 'code' and c.get('execution_count')]
        index = executed[-1] if executed else None
        error = f"{type(e).__name__}: {e}"
    seconds = time.time() - t0
    write_atomic(dst, nbformat.writes(nb))
    if html:
        from nbconvert import HTMLExporter
        body, _ = HTMLExporter().from_notebook_node(nb)
        write_atomic(html, body)
    print(json.dumps({'ok': ok, 'cell': index, 'error': error, 'seconds': seconds}))


if __name__ == '__main__':
    main()
