package dev.mercato.openapi;

import dev.mercato.shared.PageParams;
import dev.mercato.web.PagedResponses;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.method.HandlerMethod;

/**
 * What the published documents need to know about a controller method, read from its signature and mapping:
 * the OpenAPI customizers derive operation ids, headers and error statuses from it rather than from hand-written
 * descriptions of each operation.
 */
record MappedHandler(HandlerMethod method) {

    /** The controller's resource, plural, from its name: {@code ProductsV2Controller} is {@code Products}. */
    String resource() {
        String name = ClassUtils.getUserClass(method.getBeanType()).getSimpleName();
        return name.replaceFirst("Controller$", "").replaceFirst("V\\d+$", "");
    }

    /** The resource in the singular: {@code Product}, {@code ApiKey}, {@code Category}. */
    String resourceSingular() {
        String plural = resource();
        if (plural.endsWith("ies")) {
            return plural.substring(0, plural.length() - 3) + "y";
        }
        return plural.endsWith("s") ? plural.substring(0, plural.length() - 1) : plural;
    }

    String methodName() {
        return method.getMethod().getName();
    }

    /** Whether the body is a JSON array: the method returns a collection (possibly in a ResponseEntity). */
    boolean returnsCollection() {
        ResolvableType type = ResolvableType.forMethodReturnType(method.getMethod());
        if (HttpEntity.class.isAssignableFrom(type.toClass())) {
            type = type.as(HttpEntity.class).getGeneric(0);
        }
        return Collection.class.isAssignableFrom(type.toClass());
    }

    /** A list with {@code limit} and {@code offset}, answered by {@link PagedResponses}. */
    boolean isPaged() {
        return parameters().stream().anyMatch(parameter -> parameter.getParameterType() == PageParams.class);
    }

    boolean hasPathVariable() {
        return hasParameterAnnotated(PathVariable.class);
    }

    boolean hasRequestBody() {
        return hasParameterAnnotated(RequestBody.class);
    }

    /** Whether the method reads the request header of this name. */
    boolean readsHeader(String name) {
        return readsHeader(method.getMethod(), name);
    }

    /**
     * Whether the resource is changed only at a known version: a method of its controller reads {@code If-Match}.
     * Such a resource gives its ETag when it is created too, so that the first change can name it.
     */
    boolean resourceIsVersioned() {
        return Arrays.stream(ClassUtils.getUserClass(method.getBeanType()).getDeclaredMethods())
                .anyMatch(other -> readsHeader(other, HttpHeaders.IF_MATCH));
    }

    private static boolean readsHeader(Method method, String name) {
        return Arrays.stream(method.getParameters())
                .map(parameter -> AnnotatedElementUtils.findMergedAnnotation(parameter, RequestHeader.class))
                .anyMatch(header -> header != null && name.equalsIgnoreCase(header.name()));
    }

    /** The media types the method accepts, from its own mapping or else its controller's. */
    List<String> consumes() {
        return mapped(RequestMapping::consumes);
    }

    /** The media types the method answers in, from its own mapping or else its controller's. */
    List<String> produces() {
        return mapped(RequestMapping::produces);
    }

    private List<String> mapped(Function<RequestMapping, String[]> attribute) {
        for (AnnotatedElement element : List.of(method.getMethod(), ClassUtils.getUserClass(method.getBeanType()))) {
            RequestMapping mapping = AnnotatedElementUtils.findMergedAnnotation(element, RequestMapping.class);
            if (mapping != null && attribute.apply(mapping).length > 0) {
                return List.of(attribute.apply(mapping));
            }
        }
        return List.of();
    }

    private boolean hasParameterAnnotated(Class<? extends Annotation> annotation) {
        return parameters().stream().anyMatch(parameter -> parameter.hasParameterAnnotation(annotation));
    }

    private List<MethodParameter> parameters() {
        return Arrays.asList(method.getMethodParameters());
    }
}
