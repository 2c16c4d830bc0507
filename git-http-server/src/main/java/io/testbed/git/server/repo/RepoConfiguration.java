package io.testbed.git.server.repo;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the {@link RepoRegistry} with the configured repositories ready, before the HTTPS connector
 * accepts its first request, then adds the valid generated repositories already in the directory.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GitProperties.class)
public class RepoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RepoConfiguration.class);

    @Bean
    RepoRegistry repoRegistry(GitProperties properties) {
        RepoRegistry registry = new RepoRegistry(properties.reposDir(), properties.maxRepositories());
        long start = System.nanoTime();
        try {
            for (String entry : properties.repositories()) {
                registry.ensure(RepoSpec.parse(entry, properties.seed()));
            }
            registry.adoptExisting();
        } catch (IOException e) {
            registry.close();
            throw new UncheckedIOException("cannot prepare the repositories in " + registry.directory(), e);
        }
        log.info("{} repositories ready in {} in {} ms", registry.size(), registry.directory(),
                (System.nanoTime() - start) / 1_000_000);
        return registry;
    }
}
