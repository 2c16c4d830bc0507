package io.testbed.gateway.store;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.relational.core.mapping.RelationalMappingContext;
import org.springframework.stereotype.Component;

/**
 * Unquoted table and column names in Spring Data JDBC's SQL. Quoted, they would keep the case of the
 * mapping, which matches no database (H2 folds unquoted names to upper case, PostgreSQL to lower case);
 * unquoted, the migration's names ({@code db/migration}) resolve the same way in both.
 */
@Component
class JdbcNaming implements BeanPostProcessor {

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof RelationalMappingContext context) {
            context.setForceQuote(false);
        }
        return bean;
    }
}
