package dev.mercato.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Authorizes each operation's scope before anything else looks at the request's parameters. */
@Configuration(proxyBeanMethods = false)
class ScopeConfiguration implements WebMvcConfigurer {

    private final ScopeAuthorization scopes;

    ScopeConfiguration(ScopeAuthorization scopes) {
        this.scopes = scopes;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(scopes).order(Ordered.HIGHEST_PRECEDENCE);
    }
}
