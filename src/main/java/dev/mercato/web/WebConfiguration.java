package dev.mercato.web;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final ScopeInterceptor scopeInterceptor;
    private final UnknownQueryParameterInterceptor unknownQueryParameters;

    WebConfiguration(ScopeInterceptor scopeInterceptor, UnknownQueryParameterInterceptor unknownQueryParameters) {
        this.scopeInterceptor = scopeInterceptor;
        this.unknownQueryParameters = unknownQueryParameters;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(scopeInterceptor);
        registry.addInterceptor(unknownQueryParameters);
    }
}
