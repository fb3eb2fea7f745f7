package dev.mercato.dashboard;

import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The dashboard's static files, the only ones Mercato serves: its style sheet and script, and the charting library
 * (Chart.js, from its WebJar) at {@code /dashboard/assets/vendor/chart.umd.js}.
 */
@Configuration(proxyBeanMethods = false)
class DashboardWebConfiguration implements WebMvcConfigurer {

    /** The version of the Chart.js WebJar in the pom. */
    static final String CHART_JS_VERSION = "4.4.1";

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        // Ahead of the controllers, whose catch-all /dashboard/** page says 404 for any other path.
        registry.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registry.addResourceHandler("/dashboard/assets/**")
                .addResourceLocations("classpath:/static/dashboard/assets/")
                .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
        registry.addResourceHandler("/dashboard/assets/vendor/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/chart.js/" + CHART_JS_VERSION + "/dist/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(7)));
    }
}
