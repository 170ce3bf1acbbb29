package dev.backendrouter.spring;

import dev.backendrouter.router.BackendRouter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.web.client.RestClient;

/**
 * Routes the application's {@code RestClient}s: every {@code RestClient.Builder} from Spring Boot
 * sends its requests through the router, so {@code http://storage/files/42} goes to the storage
 * group. Other hosts pass through unchanged.
 */
@AutoConfiguration(after = BackendRouterAutoConfiguration.class)
@ConditionalOnClass({RestClient.class, RestClientCustomizer.class})
@ConditionalOnBean(BackendRouter.class)
public class BackendRouterRestClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "backendRouterRestClientCustomizer")
    public RestClientCustomizer backendRouterRestClientCustomizer(BackendRouter router) {
        return builder -> builder.requestFactory(new RoutedClientHttpRequestFactory(router.httpClient()));
    }
}
