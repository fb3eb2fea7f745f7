package dev.mercato.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final UnknownQueryParameterInterceptor unknownQueryParameters;

    WebConfiguration(UnknownQueryParameterInterceptor unknownQueryParameters) {
        this.unknownQueryParameters = unknownQueryParameters;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(unknownQueryParameters);
    }
}
