package dev.mercato.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A query parameter the operation does not know answers 400 naming it, as an unknown body field does. Otherwise a
 * misspelt or other-version filter ({@code start_date} on v1, {@code startDate} on v2) would be ignored and the
 * request answered as if it had no filter at all. Applies to the API's operations: the methods of the controllers
 * of one API version, named {@code <Resource>V<n>Controller} (an architecture test holds every controller with a
 * scoped operation to that name). Pages and the OAuth endpoints take what their protocols allow.
 */
@Component
class UnknownQueryParameterInterceptor implements HandlerInterceptor {

    private static final Pattern API_CONTROLLER = Pattern.compile("\\w+V\\d+Controller");

    private final Map<HandlerMethod, Set<String>> known = new ConcurrentHashMap<>();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || !isApiOperation(method)) {
            return true;
        }
        Set<String> accepted = known.computeIfAbsent(method, UnknownQueryParameterInterceptor::parametersOf);
        for (String name : request.getParameterMap().keySet()) {
            if (!accepted.contains(name)) {
                throw ApiException.invalidParameter(
                        name,
                        "Unknown query parameter '" + name + "'"
                                + (accepted.isEmpty()
                                        ? "; this operation takes none."
                                        : "; this operation takes "
                                                + String.join(
                                                        ", ",
                                                        accepted.stream()
                                                                .sorted()
                                                                .toList()) + "."),
                        name + " (string)");
            }
        }
        return true;
    }

    private static boolean isApiOperation(HandlerMethod method) {
        return API_CONTROLLER
                .matcher(ClassUtils.getUserClass(method.getBeanType()).getSimpleName())
                .matches();
    }

    private static Set<String> parametersOf(HandlerMethod method) {
        return Arrays.stream(method.getMethodParameters())
                .flatMap(UnknownQueryParameterInterceptor::namesOf)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static Stream<String> namesOf(MethodParameter parameter) {
        RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
        if (requestParam != null) {
            String name = requestParam.name();
            return Stream.of(name.isEmpty() ? parameter.getParameterName() : name);
        }
        if (parameter.hasParameterAnnotation(ParameterObject.class)
                && parameter.getParameterType().isRecord()) {
            return Arrays.stream(parameter.getParameterType().getRecordComponents())
                    .map(RecordComponent::getName);
        }
        return Stream.empty();
    }
}
