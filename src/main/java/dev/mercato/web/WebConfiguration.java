package dev.mercato.web;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final UnknownQueryParameterInterceptor unknownQueryParameters;

    WebConfiguration(UnknownQueryParameterInterceptor unknownQueryParameters) {
        this.unknownQueryParameters = unknownQueryParameters;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(unknownQueryParameters);
    }
}
