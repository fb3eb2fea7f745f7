package dev.mercato.security;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Checks each endpoint's {@link RequiresScope} before anything else looks at the request's parameters. */
@Configuration(proxyBeanMethods = false)
class ScopeConfiguration implements WebMvcConfigurer {

    private final ScopeInterceptor scopeInterceptor;

    ScopeConfiguration(ScopeInterceptor scopeInterceptor) {
        this.scopeInterceptor = scopeInterceptor;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(scopeInterceptor).order(Ordered.HIGHEST_PRECEDENCE);
    }
}
