package dev.mercato.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.Map;
import org.springframework.boot.webmvc.autoconfigure.WebMvcRegistrations;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * Spring MVC's lookup of the endpoint for a request, with a cheap first test. A path with a variable in it
 * ({@code GET /v2/products/{id}}) matches no endpoint directly, so Spring tries every endpoint's conditions in
 * turn (method, media types, patterns): with Mercato's endpoints about 8% of the CPU time of such a request. Here
 * an endpoint's conditions are tried only when the request's path starts with the literal beginning of one of
 * its patterns ({@code /v2/products/}), which most endpoints fail at the first characters. What is matched, and
 * how (405, 406, 415), stays Spring's.
 */
@Configuration(proxyBeanMethods = false)
class RouteLookup {

    @Bean
    WebMvcRegistrations prefilteredRequestMappings() {
        return new WebMvcRegistrations() {
            @Override
            public RequestMappingHandlerMapping getRequestMappingHandlerMapping() {
                return new PrefilteredRequestMappingHandlerMapping();
            }
        };
    }

    static final class PrefilteredRequestMappingHandlerMapping extends RequestMappingHandlerMapping {

        /** Every endpoint may match: no literal beginning to test. */
        private static final String[] ANY = {""};

        /** The path being looked up on this thread, which Spring hands to the lookup but not to each test. */
        private static final ThreadLocal<String> LOOKUP_PATH = new ThreadLocal<>();

        /**
         * Filled as endpoints are registered, at start-up, and only read after: by identity, the cheapest lookup,
         * since the registry hands back the very objects registered.
         */
        private final Map<RequestMappingInfo, String[]> literalBeginnings = new IdentityHashMap<>();

        @Override
        protected void registerHandlerMethod(Object handler, Method method, RequestMappingInfo mapping) {
            literalBeginnings.put(mapping, beginnings(mapping));
            super.registerHandlerMethod(handler, method, mapping);
        }

        @Override
        protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request) throws Exception {
            // An encoded character or a path parameter (;) may still match a literal once decoded: no prefilter then.
            boolean plain = lookupPath.indexOf('%') < 0 && lookupPath.indexOf(';') < 0;
            LOOKUP_PATH.set(plain ? lookupPath : null);
            try {
                return super.lookupHandlerMethod(lookupPath, request);
            } finally {
                LOOKUP_PATH.remove();
            }
        }

        @Override
        protected RequestMappingInfo getMatchingMapping(RequestMappingInfo info, HttpServletRequest request) {
            String path = LOOKUP_PATH.get();
            if (path != null
                    && !startsWithAny(path, literalBeginnings.computeIfAbsent(info, RouteLookup::beginnings))) {
                return null;
            }
            return super.getMatchingMapping(info, request);
        }

        private static boolean startsWithAny(String path, String[] beginnings) {
            for (String beginning : beginnings) {
                if (path.startsWith(beginning)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Each pattern's text up to its first variable or wildcard: a path it matches starts with that. */
    static String[] beginnings(RequestMappingInfo info) {
        PathPatternsRequestCondition condition = info.getPathPatternsCondition();
        if (condition == null || condition.getPatterns().isEmpty()) {
            return PrefilteredRequestMappingHandlerMapping.ANY;
        }
        return condition.getPatterns().stream()
                .map(PathPattern::getPatternString)
                .map(RouteLookup::literalBeginning)
                .toArray(String[]::new);
    }

    static String literalBeginning(String pattern) {
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '{' || c == '*' || c == '?' || c == '\\') {
                return pattern.substring(0, i);
            }
        }
        return pattern;
    }
}
