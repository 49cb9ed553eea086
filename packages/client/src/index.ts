/**
 * @since 0.1.0
 */
export * as DomoScope from "./DomoScope.js"
/**
 * @since 0.1.0
 */
export * as DataSetModels from "./DataSetModels.js"
/**
 * @since 0.1.0
 */
export * as StreamModels from "./StreamModels.js"
/**
 * @since 0.1.0
 */
export * as DomoTable from "./DomoTable.js"

/**
 * @since 0.1.0
 */
export * as AccessToken from "./AccessToken.js"

/**
 * @since 0.1.0
 */
export * as Domo from "./Domo.js"

/**
 * @since 0.1.0
 */
export * as DomoAuth from "./DomoAuth.js"

/**
 * @since 0.1.0
 */
export * as DomoConfig from "./DomoConfig.js"

/**
 * @since 0.1.0
 */
export * as DomoError from "./DomoError.js"

/**
 * @since 0.1.0
 */
export * as DomoHttpClient from "./DomoHttpClient.js"

/**
 * @since 0.1.0
 */
export * as UserModels from "./UserModels.js"

/**
 * @since 0.1.0
 */
export * as GroupModels from "./GroupModels.js"

/**
 * @since 0.1.0
 */
export * as PageModels from "./PageModels.js"

/**
 * @since 0.1.0
 */
export * as AccountModels from "./AccountModels.js"

/**
 * @since 0.1.0
 */
export * as ActivityLogModels from "./ActivityLogModels.js"

/**
 * @since 0.1.0
 */
export * as ProjectModels from "./ProjectModels.js"

/**
 * @since 0.1.0
 */
export * as EmbedModels from "./EmbedModels.js"

/**
 * @since 0.1.0
 */
export * as Users from "./Users.js"

/**
 * @since 0.1.0
 */
export * as Groups from "./Groups.js"

/**
 * @since 0.1.0
 */
export * as Pages from "./Pages.js"

/**
 * @since 0.1.0
 */
export * as Accounts from "./Accounts.js"

/**
 * @since 0.1.0
 */
export * as ActivityLog from "./ActivityLog.js"

/**
 * @since 0.1.0
 */
export * as Projects from "./Projects.js"

/**
 * @since 0.1.0
 */
export * as Embed from "./Embed.js"

/**
 * @since 0.1.0
 */
export * as DomoDirectory from "./DomoDirectory.js"

/**
 * @since 0.1.0
 */
export * as Streams from "./Streams.js"

/**
 * @since 0.1.0
 */
export * as StreamUpload from "./StreamUpload.js"
/**
 * @since 0.1.0
 */
export * as Datasets from "./Datasets.js"
