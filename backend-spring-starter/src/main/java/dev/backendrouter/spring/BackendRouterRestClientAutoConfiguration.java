package dev.backendrouter.spring;

import dev.backendrouter.router.BackendRouter;
import okhttp3.OkHttpClient;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Routes the application's {@code RestClient}s: every {@code RestClient.Builder} from Spring Boot
 * sends requests for a topology group through the router, so {@code http://storage/files/42}
 * goes to the storage group. Requests to other hosts use the request factory Boot configures
 * from {@code spring.http.clients.*}, as they would without the starter.
 */
@AutoConfiguration(after = BackendRouterAutoConfiguration.class)
@ConditionalOnClass({RestClient.class, RestClientCustomizer.class, ClientHttpRequestFactoryBuilder.class})
@ConditionalOnBean(BackendRouter.class)
public class BackendRouterRestClientAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "backendRouterRestClientCustomizer")
    public RestClientCustomizer backendRouterRestClientCustomizer(BackendRouter router,
            @Qualifier("backendRouterHttpClient") OkHttpClient routedClient,
            ObjectProvider<ClientHttpRequestFactoryBuilder<?>> factoryBuilder, ObjectProvider<HttpClientSettings> settings,
            ResourceLoader resources) {
        ClientHttpRequestFactory otherHosts = factoryBuilder
                .getIfAvailable(() -> ClientHttpRequestFactoryBuilder.detect(resources.getClassLoader()))
                .build(settings.getIfAvailable(HttpClientSettings::defaults));
        RoutedClientHttpRequestFactory factory = new RoutedClientHttpRequestFactory(router, routedClient, otherHosts);
        return builder -> builder.requestFactory(factory);
    }
}
