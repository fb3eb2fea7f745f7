package dev.mercato.web;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * A request whose body was read by a filter, handed on so that later readers find it whole: the input stream and
 * reader replay the bytes and, for a form body, the parameters are the query's and the form's, as the container
 * would have parsed them.
 */
public final class BufferedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;
    private final Map<String, String[]> parameters;

    /** @param parameters the request's parameters, or {@code null} when the body holds none (JSON) */
    public BufferedBodyRequest(HttpServletRequest request, byte[] body, Map<String, String[]> parameters) {
        super(request);
        this.body = body;
        this.parameters = parameters == null ? null : Collections.unmodifiableMap(parameters);
    }

    @Override
    public ServletInputStream getInputStream() {
        ByteArrayInputStream in = new ByteArrayInputStream(body);
        return new ServletInputStream() {
            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException("Synchronous reads only");
            }

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return in.read(buffer, offset, length);
            }
        };
    }

    @Override
    public BufferedReader getReader() {
        return new BufferedReader(new InputStreamReader(getInputStream(), charset()));
    }

    @Override
    public String getParameter(String name) {
        if (parameters == null) {
            return super.getParameter(name);
        }
        String[] values = parameters.get(name);
        return values == null ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        return parameters == null ? super.getParameterMap() : parameters;
    }

    @Override
    public Enumeration<String> getParameterNames() {
        return parameters == null ? super.getParameterNames() : Collections.enumeration(parameters.keySet());
    }

    @Override
    public String[] getParameterValues(String name) {
        if (parameters == null) {
            return super.getParameterValues(name);
        }
        String[] values = parameters.get(name);
        return values == null ? null : values.clone();
    }

    /** The request's declared character encoding, UTF-8 when it names none or one this JVM does not know. */
    public static Charset charsetOf(HttpServletRequest request) {
        String name = request.getCharacterEncoding();
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return StandardCharsets.UTF_8;
        }
    }

    private Charset charset() {
        return charsetOf(this);
    }
}
