"""Drives the pfgm Java kernel through Debian's jupyter_client, for the Java tests.

Starts the kernel named on the command line (found through JUPYTER_PATH), then reads one JSON
request per line on stdin and answers with one JSON line on stdout. Times are seconds since the
request was sent, so a test can tell output that streamed from output that came at the end.
"""
import ipaddress
import json
import os
import queue
import sys
import time

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session


def collect(kc, msg_id, sent, timeout):
    """iopub messages of one request until the kernel goes idle, then the shell reply."""
    outputs = []
    deadline = sent + timeout
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status":
            if msg["content"]["execution_state"] == "idle":
                break
            continue
        outputs.append({"type": kind, "content": msg["content"], "t": time.time() - sent})
    while True:
        reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
        if reply["parent_header"].get("msg_id") == msg_id:
            return {"reply": reply["content"], "outputs": outputs, "reply_t": time.time() - sent}


def execute(kc, request):
    sent = time.time()
    msg_id = kc.execute(request["code"])
    return collect(kc, msg_id, sent, request.get("timeout", 60))


def interrupt(km, kc, request):
    """Runs code, interrupts it after a delay, reports what came back."""
    sent = time.time()
    msg_id = kc.execute(request["code"])
    time.sleep(request["delay"])
    km.interrupt_kernel()
    return collect(kc, msg_id, sent, request.get("timeout", 30))


def forged(kc, request):
    """Sends an execute_request signed with a wrong key; reports whether the shell answered."""
    forger = Session(key=b"not-the-session-key", session=kc.session.session, username=kc.session.username)
    message = forger.msg("execute_request", content={
        "code": request["code"], "silent": False, "store_history": True,
        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    forger.send(kc.shell_channel.socket, message)
    deadline = time.time() + request.get("wait", 3)
    try:
        while True:  # replies to earlier requests (wait_for_ready sends several) do not count
            reply = kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            if reply["parent_header"].get("msg_id") == message["header"]["msg_id"]:
                return {"replied": True}
    except queue.Empty:
        return {"replied": False}


def shell_reply(kc, msg_id):
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def restart(km, kc, request):
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=120)
    return {"alive": km.is_alive()}


def decode(hex_address):
    """/proc/net/tcp{,6} print addresses as 32-bit words in host (little-endian) order."""
    raw = bytes.fromhex(hex_address)
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    address = ipaddress.ip_address(words)
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped  # a dual-stack socket bound to an IPv4 address
    return address


def listening(km, kc, request):
    """The kernel process's listening TCP sockets, read from /proc, and the connection file's."""
    pid = km.provisioner.pid
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    sockets = []
    for table in ("tcp", "tcp6"):
        with open(f"/proc/net/{table}") as rows:
            for row in list(rows)[1:]:
                fields = row.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == "0A" and inode in inodes:  # 0A: LISTEN
                    address, port = local.split(":")
                    sockets.append({"address": str(decode(address)), "port": int(port, 16)})
    info = km.get_connection_info()
    ports = [info[name] for name in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")]
    return {"pid": pid, "ip": info["ip"], "ports": ports, "listening": sockets}


def main():
    km = KernelManager(kernel_name=sys.argv[1])
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            op = request["op"]
            try:
                if op == "execute":
                    answer = execute(kc, request)
                elif op == "interrupt":
                    answer = interrupt(km, kc, request)
                elif op == "forged":
                    answer = forged(kc, request)
                elif op == "complete":
                    answer = shell_reply(kc, kc.complete(request["code"], request["cursor"]))
                elif op == "inspect":
                    answer = shell_reply(kc, kc.inspect(request["code"], request["cursor"], request.get("detail_level", 0)))
                elif op == "is_complete":
                    answer = shell_reply(kc, kc.is_complete(request["code"]))
                elif op == "restart":
                    answer = restart(km, kc, request)
                elif op == "listening":
                    answer = listening(km, kc, request)
                else:
                    answer = {"failure": "unknown op " + op}
            except queue.Empty:
                answer = {"failure": "timed out waiting for the kernel"}
            print(json.dumps(answer), flush=True)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


if __name__ == "__main__":
    main()
