package io.testbed.kernel.sim;

import io.testbed.kernel.sim.api.framed.FramedServer;
import io.testbed.kernel.sim.api.grpc.GrpcAccess;
import io.testbed.kernel.sim.config.KernelSimProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.testbed.kernel.sim.api.grpc.GrpcServer;
import io.testbed.kernel.sim.runtime.MachineRegistry;
import io.testbed.kernel.sim.metrics.KernelMetrics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.concurrent.atomic.AtomicReference;

/** Wires the machines, their metrics, the gRPC server and the optional framed syscall listener. The wall clock enters the engine here, and only here. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KernelSimProperties.class)
public class KernelSimConfiguration {

    @Bean
    public KernelMetrics kernelMetrics(AtomicReference<MachineRegistry> registryRef) {
        return new KernelMetrics(() -> {
            MachineRegistry r = registryRef.get();
            return r == null ? 0 : r.list().size();
        });
    }

    @Bean
    public AtomicReference<MachineRegistry> machineRegistryRef() {
        return new AtomicReference<>();
    }

    @Bean(destroyMethod = "close")
    public MachineRegistry machineRegistry(KernelSimProperties properties, KernelMetrics metrics,
                                           AtomicReference<MachineRegistry> ref) {
        MachineRegistry r = new MachineRegistry(properties, metrics, System::nanoTime);
        ref.set(r);
        return r;
    }

    @Bean
    public GrpcServer grpcServer(KernelSimProperties properties, MachineRegistry registry, MeterRegistry meters,
                                 org.springframework.core.env.Environment environment) {
        return new GrpcServer(properties, registry, meters, GrpcAccess.required(environment));
    }

    /** Off (nothing bound) unless {@code testbed.kernel.framed.uds-path} is set; then the gRPC port's token rule. */
    @Bean
    public FramedServer framedServer(KernelSimProperties properties, MachineRegistry registry,
                                     org.springframework.core.env.Environment environment) {
        return new FramedServer(properties, registry,
                properties.getFramed().getUdsPath().isEmpty() ? null : GrpcAccess.required(environment));
    }
}
