package io.testbed.kernel.api;

/** Linux errno numbers (x86-64/AArch64 generic values) used by the simulated kernel's syscalls. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EFAULT = 14;
    public static final int EEXIST = 17;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENFILE = 23;
    public static final int EMFILE = 24;
    public static final int EFBIG = 27;
    public static final int ENOSPC = 28;
    public static final int ESPIPE = 29;
    public static final int EPIPE = 32;
    public static final int ENAMETOOLONG = 36;
    public static final int ENOSYS = 38;
    public static final int ENOTSOCK = 88;
    public static final int EPROTOTYPE = 91;
    public static final int EPROTONOSUPPORT = 93;
    public static final int EOPNOTSUPP = 95;
    public static final int EAFNOSUPPORT = 97;
    public static final int EADDRNOTAVAIL = 99;
    public static final int ENETDOWN = 100;
    public static final int ENETUNREACH = 101;
    public static final int ECONNRESET = 104;
    public static final int EISCONN = 106;
    public static final int ENOTCONN = 107;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EALREADY = 114;
    public static final int EINPROGRESS = 115;

    public static final int AF_INET = 2;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int IPPROTO_TCP = 6;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int CLOCK_REALTIME = 0;
    public static final int CLOCK_MONOTONIC = 1;
    public static final int POLLIN = 1;
    public static final int POLLOUT = 4;
    public static final int POLLERR = 8;
    public static final int POLLHUP = 16;

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_DIRECTORY = 0200000;
    public static final int AT_FDCWD = -100;
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;

    private Errno() {
    }

    /** The symbolic name of an errno ("EAGAIN"), or "OK" for 0, or "E" + number when unknown. */
    public static String name(int errno) {
        switch (errno) {
            case 0: return "OK";
            case EPERM: return "EPERM";
            case ENOENT: return "ENOENT";
            case EINTR: return "EINTR";
            case EBADF: return "EBADF";
            case EAGAIN: return "EAGAIN";
            case ENOMEM: return "ENOMEM";
            case EFAULT: return "EFAULT";
            case EEXIST: return "EEXIST";
            case ENOTDIR: return "ENOTDIR";
            case EISDIR: return "EISDIR";
            case EINVAL: return "EINVAL";
            case ENFILE: return "ENFILE";
            case EMFILE: return "EMFILE";
            case EFBIG: return "EFBIG";
            case ENOSPC: return "ENOSPC";
            case ESPIPE: return "ESPIPE";
            case EPIPE: return "EPIPE";
            case ENAMETOOLONG: return "ENAMETOOLONG";
            case ENOSYS: return "ENOSYS";
            case ENOTSOCK: return "ENOTSOCK";
            case EPROTOTYPE: return "EPROTOTYPE";
            case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
            case EOPNOTSUPP: return "EOPNOTSUPP";
            case EAFNOSUPPORT: return "EAFNOSUPPORT";
            case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
            case ENETDOWN: return "ENETDOWN";
            case ENETUNREACH: return "ENETUNREACH";
            case ECONNRESET: return "ECONNRESET";
            case EISCONN: return "EISCONN";
            case ENOTCONN: return "ENOTCONN";
            case ETIMEDOUT: return "ETIMEDOUT";
            case ECONNREFUSED: return "ECONNREFUSED";
            case EHOSTUNREACH: return "EHOSTUNREACH";
            case EALREADY: return "EALREADY";
            case EINPROGRESS: return "EINPROGRESS";
            default: return "E" + errno;
        }
    }
}
