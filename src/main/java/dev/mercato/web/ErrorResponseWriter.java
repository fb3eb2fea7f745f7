package dev.mercato.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes the error body straight to a servlet response, for failures raised outside Spring MVC. */
@Component
public class ErrorResponseWriter {

    private final JsonMapper jsonMapper;

    ErrorResponseWriter(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public void write(HttpServletResponse response, int status, ApiError error) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        jsonMapper.writeValue(response.getOutputStream(), error);
    }

    /** 503 {@code DATABASE_UNAVAILABLE} with {@code Retry-After}, for a filter whose work needed the database. */
    public void writeDatabaseUnavailable(HttpServletResponse response) throws IOException {
        ResponseEntity<ApiError> unavailable = DatabaseUnavailable.response();
        if (response.isCommitted()) {
            return;
        }
        unavailable.getHeaders().forEach((name, values) -> response.setHeader(name, values.get(0)));
        write(response, unavailable.getStatusCode().value(), unavailable.getBody());
    }

    /** The error body as JSON bytes, for an answer written later (a stored replay). */
    public byte[] bytes(ApiError error) {
        return jsonMapper.writeValueAsBytes(error);
    }
}
