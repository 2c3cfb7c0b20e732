// The function app on the Flex Consumption plan (Linux), running OnCall.Functions as a .NET isolated worker.

import { tagSet, stringMap } from 'types.bicep'

@description('Azure region.')
param location string

@description('Function app name, unique in Azure: it is the host name <name>.azurewebsites.net.')
@minLength(2)
@maxLength(60)
param name string

@description('Flex Consumption plan name.')
param planName string

param tags tagSet

@description('URL of the blob container the app package is deployed to.')
param deploymentContainerUrl string

@description('App settings, name to value; they win over OnCall__PublicBaseUrl, which this module sets.')
param appSettings stringMap

@description('Most instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory of each instance, in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    // Linux.
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      // The .NET isolated worker on .NET 10: what FUNCTIONS_WORKER_RUNTIME=dotnet-isolated (and the stack version)
      // says on the other plans. Flex Consumption refuses FUNCTIONS_WORKER_RUNTIME as an app setting; this is where
      // the runtime is declared.
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Every link the app hands out (feed URLs, signed handoff links, page links) starts at OnCall__PublicBaseUrl, never at
// a request's Host (under the Functions host that is the worker's own port). With a custom domain, set it in appSettings.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union({ OnCall__PublicBaseUrl: 'https://${app.properties.defaultHostName}' }, appSettings)
}

output name string = app.name
output principalId string = app.identity.principalId
output url string = 'https://${app.properties.defaultHostName}'
