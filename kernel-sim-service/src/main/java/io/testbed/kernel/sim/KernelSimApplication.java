package io.testbed.kernel.sim;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class KernelSimApplication {
    public static void main(String[] args) {
        SpringApplication.run(KernelSimApplication.class, args);
    }
}
