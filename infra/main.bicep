// OnCallFunctions in one resource group: the function app (.NET isolated worker) on the Flex Consumption plan, its
// storage account, the Service Bus topic it publishes domain events to, the Key Vault holding the integration
// secrets, and Application Insights. The app reaches all of them with its system-assigned identity: no keys.
//
//   az deployment group create --resource-group <rg> --template-file infra/main.bicep --parameters infra/main.dev.bicepparam
//
// docs/deploy.md walks through a first deployment.

import { tagSet, stringMap } from 'modules/types.bicep'

targetScope = 'resourceGroup'

@description('Environment name, part of every resource name: dev, test, prod …')
@minLength(2)
@maxLength(6)
param environmentName string

@description('Azure region of every resource; Flex Consumption must be offered there.')
param location string = resourceGroup().location

@description('OnCall__Storage__Prefix: prefix of every table, queue and container the app creates.')
@minLength(1)
@maxLength(20)
param storagePrefix string = 'oncall'

@description('NCRONTAB schedule (six fields, seconds first, UTC) of every timer function, by function name.')
param schedules stringMap = loadJsonContent('schedules.json')

@description('Admin key (OnCall__AdminKey; writes and reads), written to the Key Vault secret oncall-admin-key only while that secret does not exist: later deployments leave the secret alone, whatever this says (rotate it in Key Vault). Default: a new random key. At least 16 characters, and not the read key.')
@secure()
@minLength(16)
param adminKey string = replace(newGuid(), '-', '')

@description('Read-only key (OnCall__ReadKey), written to the Key Vault secret oncall-read-key only while that secret does not exist, like adminKey. Default: a new random key. At least 16 characters, and not the admin key.')
@secure()
@minLength(16)
param readKey string = replace(newGuid(), '-', '')

@description('Integration secrets you set in Key Vault yourself: the app setting that reads each one, and the Key Vault secret holding it. The admin and read-only keys are not listed: the template writes them.')
param secrets secretSetting[] = [
  { setting: 'OnCall__Handoffs__LinkKey', secret: 'handoff-link-key' }
  { setting: 'OnCall__WebhookSecrets__Alertmanager', secret: 'webhook-alertmanager' }
  // App setting names allow letters, digits, '_' and '.', so the azure-monitor source is spelled AzureMonitor here.
  { setting: 'OnCall__WebhookSecrets__AzureMonitor', secret: 'webhook-azure-monitor' }
  { setting: 'OnCall__WebhookSecrets__Grafana', secret: 'webhook-grafana' }
  { setting: 'OnCall__WebhookSecrets__Generic', secret: 'webhook-generic' }
  { setting: 'OnCall__Google__ServiceAccountJson', secret: 'google-service-account-json' }
  { setting: 'OnCall__GitHub__Token', secret: 'github-token' }
  { setting: 'OnCall__Statuspage__ApiKey', secret: 'statuspage-api-key' }
  { setting: 'OnCall__Notifications__SlackWebhookUrl', secret: 'slack-webhook-url' }
  { setting: 'OnCall__Notifications__TeamsWebhookUrl', secret: 'teams-webhook-url' }
]

@description('Incident routing and the integrations\' non-secret settings; an integration stays off while its settings are empty.')
param incidentSettings stringMap = {
  OnCall__Incidents__DefaultRotation: ''
  OnCall__Statuspage__PageId: ''
  OnCall__GitHub__Owner: ''
  OnCall__GitHub__Repo: ''
}

@description('Other app settings, name to value, e.g. OnCall__Statuspage__Components__api, or OnCall__PublicBaseUrl for a custom domain; they win over the ones this template sets.')
param extraAppSettings stringMap = {}

@description('Service Bus topic the app publishes domain events to.')
param serviceBusTopicName string = 'oncall-events'

@description('Example subscription on the topic.')
param serviceBusSubscriptionName string = 'all-events'

@description('Object id of whoever sets the secrets (az ad signed-in-user show --query id -o tsv); empty grants nobody.')
param vaultOfficerPrincipalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param vaultOfficerPrincipalType string = 'User'

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Days Log Analytics keeps logs.')
@minValue(30)
param logRetentionInDays int = 30

param tags tagSet = {
  app: 'oncall-functions'
  environment: environmentName
}

type secretSetting = {
  @description('App setting name, with __ between sections.')
  setting: string

  @description('Key Vault secret name: letters, digits and hyphens.')
  secret: string
}

// The keys the app checks itself, in both hosting modes (every HTTP function is anonymous at the Functions host): the
// app setting that reads each one, and the Key Vault secret the template writes it to.
var adminKeySetting = { setting: 'OnCall__AdminKey', secret: 'oncall-admin-key' }
var readKeySetting = { setting: 'OnCall__ReadKey', secret: 'oncall-read-key' }
var accessKeys = [adminKeySetting, readKeySetting]

var stem = 'oncall-${environmentName}'
var suffix = take(uniqueString(resourceGroup().id), 6)
var names = {
  functionApp: 'func-${stem}-${suffix}'
  plan: 'plan-${stem}'
  storage: 'st${replace(stem, '-', '')}${suffix}'
  serviceBus: 'sb-${stem}-${suffix}'
  keyVault: 'kv-${stem}-${suffix}'
  workspace: 'log-${stem}'
  appInsights: 'appi-${stem}'
  deploymentContainer: 'app-package'
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    tags: tags
    retentionInDays: logRetentionInDays
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    tags: tags
    deploymentContainerName: names.deploymentContainer
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    name: names.serviceBus
    tags: tags
    topicName: serviceBusTopicName
    subscriptionName: serviceBusSubscriptionName
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: names.keyVault
    tags: tags
    vaultOfficerPrincipalId: vaultOfficerPrincipalId
    vaultOfficerPrincipalType: vaultOfficerPrincipalType
    // Written only while the secret does not exist. The read-only key must not also open writes.
    initialSecrets: {
      '${adminKeySetting.secret}': adminKey
      '${readKeySetting.secret}': readKey != adminKey ? readKey : fail('readKey must differ from adminKey.')
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: names.appInsights
  dependsOn: [
    monitoring
  ]
}

var hostSettings = {
  // Identity-based host storage: the host and the app (StorageClients) both read these; there is no account key.
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  OnCall__Storage__Prefix: storagePrefix
  // Read by the Service Bus publisher (Azure.Messaging.ServiceBus), which sends with DefaultAzureCredential: here the
  // app's system-assigned identity, so OnCall__ServiceBus__ClientId (a user-assigned identity's) is not set.
  OnCall__ServiceBus__Namespace: serviceBus.outputs.fullyQualifiedNamespace
  OnCall__ServiceBus__Topic: serviceBus.outputs.topicName
}

// Each timer trigger names its schedule as %OnCall__Schedules__<Function>% (functions.metadata): the setting must exist.
var scheduleSettings = toObject(items(schedules), s => 'OnCall__Schedules__${s.key}', s => s.value)

// Resolved by the platform with the app's identity; a secret not set yet leaves the reference text in the setting.
var secretSettings = toObject(
  concat(accessKeys, secrets),
  s => s.setting,
  s => '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${s.secret}/)'
)

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    name: names.functionApp
    planName: names.plan
    tags: tags
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appSettings: union(hostSettings, scheduleSettings, secretSettings, incidentSettings, extraAppSettings)
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    serviceBusTopicName: serviceBus.outputs.topicName
    keyVaultName: keyVault.outputs.name
  }
}

output functionAppName string = functionApp.outputs.name
output functionAppUrl string = functionApp.outputs.url
output healthUrl string = '${functionApp.outputs.url}/api/health'
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output keyVaultUri string = keyVault.outputs.uri
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output serviceBusTopicName string = serviceBus.outputs.topicName
output serviceBusSubscriptionName string = serviceBus.outputs.subscriptionName
output appInsightsName string = monitoring.outputs.appInsightsName
@description('The Key Vault secrets to set after deploying (the secrets parameter).')
output secretNames string[] = map(secrets, s => s.secret)
@description('The Key Vault secrets holding the admin key and the read-only key, written by the template.')
output accessKeySecretNames string[] = map(accessKeys, k => k.secret)
