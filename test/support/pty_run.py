"""Runs a command in a pseudo-terminal (stdin, stdout and stderr are a TTY), as a person at a terminal would.

stdin: {"argv": [...], "env": {...}, "expect": text to wait for, "answer": text to type then, "timeout": seconds}.
stdout: {"output": everything the command printed, "code": its exit code, "seen": whether the text appeared}.
"""
import json
import os
import pty
import select
import sys
import time

request = json.load(sys.stdin)
pid, fd = pty.fork()
if pid == 0:
    os.execvpe(request['argv'][0], request['argv'], request['env'])

output = b''
seen = False
deadline = time.time() + request.get('timeout', 30)
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if not ready:
        continue
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    output += chunk
    if not seen and request['expect'].encode() in output:
        seen = True
        os.write(fd, request['answer'].encode())
_, status = os.waitpid(pid, 0)
json.dump({'output': output.decode('utf8', 'replace'), 'code': os.waitstatus_to_exitcode(status), 'seen': seen},
          sys.stdout)
