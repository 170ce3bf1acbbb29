package dev.backendrouter.spring;

import dev.backendrouter.kubernetes.KubernetesMembers;
import dev.backendrouter.router.spi.MemberDiscovery;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import java.io.File;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code backend-router-kubernetes} on the class path: the discovery of Service endpoints,
 * configured by {@code backend-router.kubernetes.*}. Its client is made when a topology first names
 * a Service, so an application without such backends never talks to an API server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(KubernetesMembers.class)
class KubernetesDiscoveryConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "backendRouterKubernetesDiscovery")
    MemberDiscovery backendRouterKubernetesDiscovery(BackendRouterProperties properties) {
        BackendRouterProperties.Kubernetes settings = properties.getKubernetes();
        KubernetesMembers.Builder builder = KubernetesMembers.builder();
        if (settings.getNamespace() != null) {
            builder.namespace(settings.getNamespace());
        }
        if (settings.getLastKnownGood() != null) {
            builder.lastKnownGood(settings.getLastKnownGood());
        }
        if (settings.getStartTimeout() != null) {
            builder.startTimeout(settings.getStartTimeout());
        }
        if (settings.getMasterUrl() != null || settings.getToken() != null || settings.getKubeconfig() != null) {
            Config base = settings.getKubeconfig() != null ? Config.fromKubeconfig(new File(settings.getKubeconfig()))
                    : Config.autoConfigure(null);
            ConfigBuilder config = new ConfigBuilder(base);
            if (settings.getMasterUrl() != null) {
                config.withMasterUrl(settings.getMasterUrl());
            }
            if (settings.getToken() != null) {
                config.withOauthToken(settings.getToken());
            }
            builder.config(config.build());
        }
        return builder.build();
    }
}
