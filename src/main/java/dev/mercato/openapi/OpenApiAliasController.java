package dev.mercato.openapi;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/** Serves the documents under the names clients expect: {@code /openapi/v1.json}, {@code /openapi/v2.json}. */
@Hidden
@Controller
class OpenApiAliasController {

    @GetMapping("/openapi/{version:v[12]}.json")
    String document(@PathVariable String version) {
        return "forward:/openapi/" + version;
    }
}
