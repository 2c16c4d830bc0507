package io.testbed.tls.client.cpu;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The userspace CPU accounting asked for in a download request; null fields take the defaults.
 *
 * @param mode               {@code zero} (default), {@code modelled} or {@code measured}
 * @param handshakeUs        modelled: per TLS handshake (default from UserCostTable.akumaQemuTcg(): 2668 us)
 * @param perRecordNs        modelled: per TLS record received (default 12804)
 * @param perByteDecryptedNs modelled: per decrypted byte (default 171)
 * @param perPackByteNs      modelled: per pack byte parsed (default 5)
 * @param scale              measured: host CPU time multiplier (default 1)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CpuSpec(String mode, Long handshakeUs, Long perRecordNs, Long perByteDecryptedNs, Long perPackByteNs,
                      Double scale) {

    public static CpuSpec zero() {
        return new CpuSpec(ZeroCpu.MODE, null, null, null, null, null);
    }

    public static CpuSpec modelled() {
        return new CpuSpec(ModelledCpu.MODE, null, null, null, null, null);
    }

    public static CpuSpec measured() {
        return new CpuSpec(MeasuredCpu.MODE, null, null, null, null, null);
    }
}
