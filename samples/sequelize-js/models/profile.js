"use strict";
const { Model } = require("sequelize");

module.exports = (sequelize, DataTypes) => {
  class Profile extends Model {
    static associate(models) {
      Profile.belongsTo(models.User, { foreignKey: "userId" });
    }
  }
  Profile.init(
    {
      userId: {
        type: DataTypes.INTEGER,
        allowNull: false,
        unique: true,
      },
      bio: DataTypes.TEXT,
      website: {
        type: DataTypes.STRING,
        validate: { isUrl: true },
      },
      birthday: DataTypes.DATEONLY,
    },
    {
      sequelize,
      modelName: "Profile",
    },
  );
  return Profile;
};
