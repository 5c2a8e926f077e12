/**
 * Non-blocking UNIX stream sockets and level-triggered epoll through libc
 * (`Deno.dlopen`), for a load generator whose one thread does nothing but
 * wait in `epoll_wait` and answer: no promise, no op per read, so 10 000
 * connections cost a fraction of a core. Linux on x86-64 only (the packed
 * 12-byte `struct epoll_event`).
 *
 * @module
 */

/** `AF_UNIX`. */
const AF_UNIX = 1;
/** `SOCK_STREAM`. */
const SOCK_STREAM = 1;
/** `SOCK_NONBLOCK` (socket type flag, and accept4 flag). */
const SOCK_NONBLOCK = 0o4000;
/** `SOCK_CLOEXEC`. */
const SOCK_CLOEXEC = 0o2000000;
/** `MSG_DONTWAIT`. */
const MSG_DONTWAIT = 0x40;
/** `MSG_NOSIGNAL`: a write to a closed peer fails with EPIPE instead of raising SIGPIPE. */
const MSG_NOSIGNAL = 0x4000;
/** `EPOLL_CTL_ADD`. */
const EPOLL_CTL_ADD = 1;
/** `EPOLL_CTL_DEL`. */
const EPOLL_CTL_DEL = 2;
/** `EPOLL_CLOEXEC`. */
const EPOLL_CLOEXEC = 0o2000000;
/** `EPOLLIN`. */
const EPOLLIN = 0x001;
/** `EPOLLRDHUP`: the peer closed its end. */
const EPOLLRDHUP = 0x2000;
/** `EAGAIN` (= `EWOULDBLOCK`). */
const EAGAIN = 11;
/** `EINTR`. */
const EINTR = 4;
/** `sizeof(struct sockaddr_un)`: family (2 bytes) and a 108-byte path. */
const SOCKADDR_UN_BYTES = 110;
/** `sizeof(struct epoll_event)` on x86-64 (packed: u32 events, u64 data). */
const EPOLL_EVENT_BYTES = 12;
/** Connections the kernel queues before `accept` (capped by `net.core.somaxconn`). */
const LISTEN_BACKLOG = 4096;

const libc = Deno.dlopen("libc.so.6", {
  socket: { parameters: ["i32", "i32", "i32"], result: "i32" },
  bind: { parameters: ["i32", "buffer", "u32"], result: "i32" },
  listen: { parameters: ["i32", "i32"], result: "i32" },
  accept4: { parameters: ["i32", "pointer", "pointer", "i32"], result: "i32" },
  recv: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  send: { parameters: ["i32", "buffer", "usize", "i32"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
  epoll_create1: { parameters: ["i32"], result: "i32" },
  epoll_ctl: { parameters: ["i32", "i32", "i32", "buffer"], result: "i32" },
  epoll_wait: { parameters: ["i32", "buffer", "i32", "i32"], result: "i32" },
  __errno_location: { parameters: [], result: "pointer" },
});
const L = libc.symbols;

/** The calling thread's `errno` (read right after the failed call). */
function errno(): number {
  const at = L.__errno_location();
  return at === null ? 0 : new Deno.UnsafePointerView(at).getInt32();
}

function fail(what: string): never {
  throw new Error(`Cannot ${what}: errno ${errno()}`);
}

/**
 * Listen on a UNIX stream socket (non-blocking).
 *
 * @param path Socket path (must not exist; at most 107 bytes).
 * @returns The listening descriptor.
 * @throws {Error} When the socket cannot be created, bound or listened on.
 */
export function listenUnix(path: string): number {
  const name = new TextEncoder().encode(path);
  if (name.length >= SOCKADDR_UN_BYTES - 2) {
    throw new RangeError(`Cannot listen on "${path}": a UNIX socket path has at most 107 bytes`);
  }
  const address = new Uint8Array(SOCKADDR_UN_BYTES);
  new DataView(address.buffer).setUint16(0, AF_UNIX, true);
  address.set(name, 2);
  const fd = L.socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) fail(`create a socket for "${path}"`);
  if (L.bind(fd, address, 2 + name.length + 1) !== 0 || L.listen(fd, LISTEN_BACKLOG) !== 0) {
    const message = `Cannot listen on "${path}": errno ${errno()}`;
    L.close(fd);
    throw new Error(message);
  }
  return fd;
}

/**
 * Accept one pending connection, non-blocking itself.
 *
 * @param listener A listening descriptor.
 * @returns The connection's descriptor, or `null` when none is pending.
 * @throws {Error} When accepting fails for another reason than none pending.
 */
export function acceptConnection(listener: number): number | null {
  const fd = L.accept4(listener, null, null, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd >= 0) return fd;
  const e = errno();
  if (e === EAGAIN || e === EINTR) return null;
  throw new Error(`Cannot accept a connection: errno ${e}`);
}

/**
 * Read what is there, without waiting.
 *
 * @param fd Connection.
 * @param buf Where to put it.
 * @returns Bytes read, 0 when nothing is there yet, or `null` when the peer
 *   closed or the connection failed.
 */
export function receive(fd: number, buf: Uint8Array): number | null {
  const n = Number(L.recv(fd, buf, BigInt(buf.length), MSG_DONTWAIT));
  if (n > 0) return n;
  const e = n < 0 ? errno() : 0;
  return e === EAGAIN || e === EINTR ? 0 : null;
}

/**
 * Write all of `bytes` without waiting. With one small request outstanding
 * per connection the socket buffer never fills while the peer reads, so a
 * short write means the peer stopped reading: it counts as a failure.
 *
 * @param fd Connection.
 * @param bytes What to write.
 * @returns `true` when all of it went out.
 */
export function sendAll(fd: number, bytes: Uint8Array): boolean {
  return Number(L.send(fd, bytes, BigInt(bytes.length), MSG_DONTWAIT | MSG_NOSIGNAL)) ===
    bytes.length;
}

/**
 * Close a descriptor (a closed descriptor leaves every epoll set).
 *
 * @param fd Descriptor.
 */
export function closeFd(fd: number): void {
  L.close(fd);
}

/** A level-triggered epoll set watching descriptors for input. */
export class Epoll {
  readonly #fd: number;
  readonly #events: Uint8Array;
  readonly #view: DataView;
  readonly #capacity: number;
  readonly #ctl = new Uint8Array(EPOLL_EVENT_BYTES);

  /**
   * Create the set.
   *
   * @param capacity Most events one {@link wait} reports.
   * @throws {Error} When the kernel refuses.
   */
  constructor(capacity = 1024) {
    this.#fd = L.epoll_create1(EPOLL_CLOEXEC);
    if (this.#fd < 0) fail("create an epoll set");
    this.#capacity = capacity;
    this.#events = new Uint8Array(EPOLL_EVENT_BYTES * capacity);
    this.#view = new DataView(this.#events.buffer);
  }

  /**
   * Watch `fd` for input and for the peer's close.
   *
   * @param fd Descriptor.
   * @throws {Error} When the kernel refuses.
   */
  add(fd: number): void {
    const v = new DataView(this.#ctl.buffer);
    v.setUint32(0, EPOLLIN | EPOLLRDHUP, true);
    v.setBigUint64(4, BigInt(fd), true);
    if (L.epoll_ctl(this.#fd, EPOLL_CTL_ADD, fd, this.#ctl) !== 0) fail(`watch descriptor ${fd}`);
  }

  /**
   * Stop watching `fd`.
   *
   * @param fd Descriptor.
   */
  remove(fd: number): void {
    L.epoll_ctl(this.#fd, EPOLL_CTL_DEL, fd, this.#ctl);
  }

  /**
   * Block until a watched descriptor is ready or `timeoutMs` passes.
   *
   * @param timeoutMs Longest wait (rounded up to whole ms; negative: 0).
   * @returns How many are ready; read them with {@link ready}.
   * @throws {Error} When the wait fails (other than by a signal).
   */
  wait(timeoutMs: number): number {
    const ms = Math.max(0, Math.min(2 ** 31 - 1, Math.ceil(timeoutMs)));
    const n = L.epoll_wait(this.#fd, this.#events, this.#capacity, ms);
    if (n >= 0) return n;
    if (errno() === EINTR) return 0;
    fail("wait on the epoll set");
  }

  /**
   * The descriptor of the `i`th ready event of the last {@link wait}.
   *
   * @param i Index.
   * @returns Descriptor.
   */
  ready(i: number): number {
    return this.#view.getUint32(EPOLL_EVENT_BYTES * i + 4, true);
  }

  /** Close the set. */
  close(): void {
    L.close(this.#fd);
  }
}
