/**
 * @since 0.1.0
 */
export * as Toe from "./Toe.js"
/**
 * @since 0.1.0
 */
export * as Emulator from "./Emulator.js"
/**
 * @since 0.1.0
 */
export * as Server from "./Server.js"
/**
 * @since 0.1.0
 */
export * as RouteFamily from "./RouteFamily.js"
/**
 * @since 0.1.0
 */
export * as Auth from "./Auth.js"
/**
 * @since 0.1.0
 */
export * as DomoError from "./DomoError.js"
/**
 * @since 0.1.0
 */
export * as Activity from "./Activity.js"
/**
 * @since 0.1.0
 */
export * as Faults from "./Faults.js"
/**
 * @since 0.1.0
 */
export * as RequestLog from "./RequestLog.js"
/**
 * @since 0.1.0
 */
export * as Admin from "./Admin.js"
/**
 * @since 0.1.0
 */
export * as DataStore from "./DataStore.js"
/**
 * @since 0.1.0
 */
export * as Policies from "./Policies.js"
/**
 * @since 0.1.0
 */
export * as Query from "./Query.js"
/**
 * @since 0.1.0
 */
export * as Csv from "./Csv.js"
/**
 * @since 0.1.0
 */
export * as Values from "./Values.js"
/**
 * @since 0.1.0
 */
export * as Tls from "./Tls.js"
/**
 * @since 0.1.0
 */
export * as Pdp from "./Pdp.js"
