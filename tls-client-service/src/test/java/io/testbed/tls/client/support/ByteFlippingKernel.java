package io.testbed.tls.client.support;

import com.google.protobuf.ByteString;
import io.testbed.kernel.api.ForwardingUserThread;
import io.testbed.kernel.api.Kernel;
import io.testbed.kernel.api.UserThread;
import io.testbed.kernel.api.v1.SyscallReply;
import io.testbed.kernel.api.v1.SyscallRequest;

/**
 * A kernel decorator that flips one bit of the bytes a thread receives: the byte at position
 * {@code offset} of everything recvfrom returned (all connections of the thread counted together).
 * It corrupts TLS ciphertext, as a faulty link below TCP's checksum might.
 */
public final class ByteFlippingKernel implements Kernel {
    private final Kernel delegate;
    private final long offset;

    public ByteFlippingKernel(Kernel delegate, long offset) {
        this.delegate = delegate;
        this.offset = offset;
    }

    @Override
    public UserThread attach(String machineId, String threadName, String owner) {
        return new ForwardingUserThread(delegate.attach(machineId, threadName, owner)) {
            long received;

            @Override
            public SyscallReply invoke(SyscallRequest.Builder request) {
                SyscallReply r = super.invoke(request);
                if (request.getCallCase() == SyscallRequest.CallCase.RECVFROM && r.getRet() > 0) {
                    long start = received;
                    received += r.getData().size();
                    if (offset >= start && offset < received) {
                        byte[] data = r.getData().toByteArray();
                        data[(int) (offset - start)] ^= 0x01;
                        return r.toBuilder().setData(ByteString.copyFrom(data)).build();
                    }
                }
                return r;
            }
        };
    }

    @Override
    public void close() {
        delegate.close();
    }
}
