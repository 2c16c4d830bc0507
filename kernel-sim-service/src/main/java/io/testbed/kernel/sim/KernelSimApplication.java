package io.testbed.kernel.sim;

import io.testbed.web.ErrorPathFilter;
import io.testbed.web.tomcat.HeaderDeadline;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

@SpringBootApplication
@Import({HeaderDeadline.class, ErrorPathFilter.class})
public class KernelSimApplication {
    public static void main(String[] args) {
        SpringApplication.run(KernelSimApplication.class, args);
    }
}
