package dev.mercato.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.mercato.client.v2.api.NotificationsApi;
import dev.mercato.client.v2.api.OAuthClientsApi;
import dev.mercato.client.v2.api.OrdersApi;
import dev.mercato.client.v2.api.PaymentsApi;
import dev.mercato.client.v2.api.ProductsApi;
import dev.mercato.client.v2.api.ReportsApi;
import dev.mercato.client.v2.api.UsersApi;
import dev.mercato.client.v2.model.AddressV2;
import dev.mercato.client.v2.model.CreateOAuthClientRequest;
import dev.mercato.client.v2.model.CreateOrderV2;
import dev.mercato.client.v2.model.CreatePaymentV2;
import dev.mercato.client.v2.model.CreateRefundV2;
import dev.mercato.client.v2.model.GenerateReportV2;
import dev.mercato.client.v2.model.ItemV2;
import dev.mercato.client.v2.model.NotificationV2;
import dev.mercato.client.v2.model.OAuthClientV2;
import dev.mercato.client.v2.model.OrderV2;
import dev.mercato.client.v2.model.PaymentV2;
import dev.mercato.client.v2.model.ProductRequestV2;
import dev.mercato.client.v2.model.ProductV2;
import dev.mercato.client.v2.model.ProfileV2;
import dev.mercato.client.v2.model.RefundV2;
import dev.mercato.client.v2.model.ReportV2;
import dev.mercato.client.v2.model.Scope;
import dev.mercato.client.v2.model.SendNotificationV2;
import dev.mercato.client.v2.model.StatusChangeV2;
import dev.mercato.client.v2.model.UserRequestV2;
import dev.mercato.client.v2.model.UserV2;
import dev.mercato.support.ApiTestSupport;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Java client the build generates from the published OpenAPI documents (openapi-generator, see the pom), used the
 * way an integrator would use theirs: an OAuth client and its token, then users, products, search, an order, its
 * payment and refund, a notification and a report, all through generated classes. A document that cannot generate a
 * client that compiles and works fails here.
 */
class GeneratedClientIT extends ApiTestSupport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String unique = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void theMainV2FlowsWorkThroughTheGeneratedClient() throws Exception {
        OAuthClientV2 registered = new OAuthClientsApi(v2(ADMIN_KEY))
                .createOAuthClient(
                        new CreateOAuthClientRequest()
                                .name("generated client " + unique)
                                .scopes(List.of(
                                        Scope.USERS_READ,
                                        Scope.USERS_WRITE,
                                        Scope.PRODUCTS_READ,
                                        Scope.PRODUCTS_WRITE,
                                        Scope.ORDERS_READ,
                                        Scope.ORDERS_WRITE,
                                        Scope.PAYMENTS_WRITE,
                                        Scope.NOTIFICATIONS_WRITE,
                                        Scope.REPORTS_READ,
                                        Scope.REPORTS_WRITE)),
                        null,
                        null);
        var client = v2(accessToken(registered.getClientId(), registered.getClientSecret()));

        UsersApi users = new UsersApi(client);
        UserV2 user = users.createUser(
                new UserRequestV2()
                        .username("gen_" + unique)
                        .email("gen_" + unique + "@example.com")
                        .profile(new ProfileV2().firstName("Alice").lastName("Smith")),
                null,
                null);
        assertThat(users.getUser(user.getId(), null, null).getProfile().getFirstName())
                .isEqualTo("Alice");

        ProductsApi products = new ProductsApi(client);
        ProductV2 widget = products.createProduct(
                new ProductRequestV2()
                        .name("Generated widget " + unique)
                        .description("Made through the generated client")
                        .price(new BigDecimal("49.99"))
                        .currency("USD")
                        .stock(5),
                null,
                null);
        assertThat(products.searchProducts(unique, null, new BigDecimal("50"), "USD", true, 10, 0, null))
                .extracting(ProductV2::getId)
                .containsExactly(widget.getId());

        OrdersApi orders = new OrdersApi(client);
        OrderV2 order = orders.createOrder(
                new CreateOrderV2()
                        .userId(user.getId())
                        .items(List.of(new ItemV2().productId(widget.getId()).quantity(2)))
                        .shippingAddress(new AddressV2()
                                .street("123 Main St")
                                .city("Anytown")
                                .zipCode("12345")
                                .country("USA")),
                null,
                "order-" + unique);
        assertThat(order.getStatus()).isEqualTo(OrderV2.StatusEnum.PENDING);
        assertThat(order.getTotalAmount()).isEqualByComparingTo("99.98");

        PaymentsApi payments = new PaymentsApi(client);
        PaymentV2 payment = payments.createPayment(
                new CreatePaymentV2()
                        .orderId(order.getId())
                        .paymentMethodId("pm_card_visa")
                        .amount(order.getTotalAmount())
                        .currency(order.getCurrency()),
                null,
                "payment-" + unique);
        assertThat(payment.getStatus()).isEqualTo(PaymentV2.StatusEnum.SUCCEEDED);
        RefundV2 refund = payments.refundPayment(
                payment.getId(), new CreateRefundV2().amount(new BigDecimal("10.00")), null, null);
        assertThat(refund.getAmount()).isEqualByComparingTo("10.00");
        assertThat(payments.getPayment(payment.getId(), null).getRefundedAmount())
                .isEqualByComparingTo("10.00");
        assertThat(orders.setOrderStatus(
                                order.getId(),
                                new StatusChangeV2().status(StatusChangeV2.StatusEnum.SHIPPED),
                                null,
                                null)
                        .getStatus())
                .isEqualTo(OrderV2.StatusEnum.SHIPPED);

        NotificationV2 notification = new NotificationsApi(client)
                .sendNotification(
                        new SendNotificationV2()
                                .userId(user.getId())
                                .type(SendNotificationV2.TypeEnum.EMAIL)
                                .priority(SendNotificationV2.PriorityEnum.HIGH)
                                .message("Your order has shipped!"),
                        null,
                        null);
        assertThat(notification.getStatus()).isEqualTo(NotificationV2.StatusEnum.QUEUED);

        ReportsApi reports = new ReportsApi(client);
        ReportV2 report = reports.generateReport(
                new GenerateReportV2().type("inventory").parameters(Map.of("threshold", 1_000_000)), null, null);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        reports.getReport(report.getId(), null, null).getStatus() == ReportV2.StatusEnum.COMPLETED);
        assertThat(reports.downloadReport(report.getId(), "json", null))
                .anySatisfy(row -> assertThat(row).containsEntry("product_id", widget.getId()));

        // An error comes back as the generated ApiException, with the documented error body.
        var missing = catchThrowableOfType(
                dev.mercato.client.v2.ApiException.class, () -> orders.getOrder("ord_qwe987", null, null));
        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.getResponseBody())
                        .path("error")
                        .path("code")
                        .asString())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void theV1ReferenceFlowWorksThroughTheGeneratedClient() throws Exception {
        var client = v1(ADMIN_KEY);
        String user = aUser().create();
        String widget = aProduct().priced("49.99", "USD").withStock(5).create();

        var products = new dev.mercato.client.v1.api.ProductsApi(client);
        assertThat(products.getProduct(widget, null, null).getPrice()).isEqualByComparingTo("49.99");
        assertThat(products.listProducts(100, 0, null)).isNotEmpty();

        var order = new dev.mercato.client.v1.api.OrdersApi(client)
                .createOrder(
                        new dev.mercato.client.v1.model.CreateOrderV1()
                                .userId(user)
                                .items(List.of(new dev.mercato.client.v1.model.ItemV1()
                                        .productId(widget)
                                        .quantity(2)))
                                .shippingAddress(new dev.mercato.client.v1.model.AddressV1()
                                        .street("123 Main St")
                                        .city("Anytown")
                                        .zipCode("12345")
                                        .country("USA")),
                        null,
                        null);
        var payment = new dev.mercato.client.v1.api.PaymentsApi(client)
                .createPayment(
                        new dev.mercato.client.v1.model.CreatePaymentV1()
                                .orderId(order.getId())
                                .paymentMethodId("pm_card_visa")
                                .amount(new BigDecimal("99.98"))
                                .currency("USD"),
                        null,
                        null);
        assertThat(payment.getOrderId()).isEqualTo(order.getId());

        var notification = new dev.mercato.client.v1.api.NotificationsApi(client)
                .sendNotification(
                        new dev.mercato.client.v1.model.SendNotificationV1()
                                .userId(user)
                                .type(dev.mercato.client.v1.model.SendNotificationV1.TypeEnum.EMAIL)
                                .subject("Your order has shipped!")
                                .message("Your order has been shipped."),
                        null,
                        null);
        assertThat(notification.getId()).startsWith("ntf_");
        assertThat(new dev.mercato.client.v1.api.UsersApi(client).listUsers("active", 100, 0, null))
                .isNotEmpty();
        assertThat(new dev.mercato.client.v1.api.LogsApi(client).listLogs(null, null, "info", 10, 0, null))
                .isNotEmpty();
    }

    private dev.mercato.client.v2.ApiClient v2(String token) {
        var client = new dev.mercato.client.v2.ApiClient();
        client.updateBaseUri(api.base());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    private dev.mercato.client.v1.ApiClient v1(String token) {
        var client = new dev.mercato.client.v1.ApiClient();
        client.updateBaseUri(api.base());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        return client;
    }

    /**
     * The token endpoint is OAuth's, not the API's, so it is not in the documents: a client gets its token as the v2
     * reference shows, then hands it to the generated client.
     */
    private String accessToken(String clientId, String clientSecret) throws Exception {
        String body = JSON.writeValueAsString(
                Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret));
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(api.base() + "/oauth/token"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).path("access_token").asString();
    }
}
