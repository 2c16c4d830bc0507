package io.testbed.git.server;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class GitHttpServerApplication {
    public static void main(String[] args) {
        SpringApplication.run(GitHttpServerApplication.class, args);
    }
}
